package awsjson_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/require"

	"stepline"
	"stepline/api/awsjson"
	"stepline/api/sfnapi"
	"stepline/api/sigv4"
)

// TestSDKWithVerifier turns authentication on: the SDK's own signatures
// verify, and the key decides the account.
func TestSDKWithVerifier(t *testing.T) {
	t.Parallel()
	accounts := make(chan string, 1)
	svc := awsjson.NewService(awsjson.Config{
		TargetPrefix:    "AWSStepFunctions",
		ErrorNamespace:  "com.amazonaws.swf.service.v2.model",
		DefaultIdentity: stepline.Identity{Account: "000000000000", Region: "us-east-1"},
		Verifier: &sigv4.StaticVerifier{Keys: map[string]sigv4.Key{
			"AKIDALICE": {Secret: "alice-secret", Account: "111111111111"},
		}},
	})
	awsjson.Handle(svc, "ListActivities", func(ctx context.Context, in *sfnapi.ListActivitiesInput) (*sfnapi.ListActivitiesOutput, error) {
		accounts <- stepline.IdentityFrom(ctx, stepline.Identity{}).Account
		return &sfnapi.ListActivitiesOutput{Activities: []sfnapi.ActivityListItem{}}, nil
	})
	srv := httptest.NewServer(svc)
	t.Cleanup(srv.Close)
	client := func(key, secret string) *sfn.Client {
		return sfn.New(sfn.Options{
			BaseEndpoint: aws.String(srv.URL),
			Region:       "eu-central-1",
			Credentials:  credentials.NewStaticCredentialsProvider(key, secret, ""),
			Retryer:      aws.NopRetryer{},
		})
	}

	_, err := client("AKIDALICE", "alice-secret").ListActivities(t.Context(), &sfn.ListActivitiesInput{})
	require.NoError(t, err)
	require.Equal(t, "111111111111", <-accounts)

	for key, code := range map[string]string{"AKIDALICE": "InvalidSignatureException", "AKIDMALLORY": "UnrecognizedClientException"} {
		_, err = client(key, "wrong").ListActivities(t.Context(), &sfn.ListActivitiesInput{})
		var ae smithy.APIError
		require.ErrorAs(t, err, &ae)
		require.Equal(t, code, ae.ErrorCode())
	}
}
