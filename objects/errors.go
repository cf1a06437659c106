package objects

import (
	"net/http"

	"stepline"
)

// S3 error codes this package reports. Messages and statuses are AWS's, from
// https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
const (
	CodeNoSuchBucket            = "NoSuchBucket"
	CodeNoSuchKey               = "NoSuchKey"
	CodeNoSuchVersion           = "NoSuchVersion"
	CodeNoSuchUpload            = "NoSuchUpload"
	CodeBucketAlreadyOwnedByYou = "BucketAlreadyOwnedByYou"
	CodeBucketNotEmpty          = "BucketNotEmpty"
	CodeInvalidBucketName       = "InvalidBucketName"
	CodeKeyTooLong              = "KeyTooLongError"
	CodeBadDigest               = "BadDigest"
	CodeInvalidDigest           = "InvalidDigest"
	CodeInvalidPart             = "InvalidPart"
	CodeInvalidPartOrder        = "InvalidPartOrder"
	CodeEntityTooSmall          = "EntityTooSmall"
	CodeEntityTooLarge          = "EntityTooLarge"
	CodeIncompleteBody          = "IncompleteBody"
	CodeInvalidArgument         = "InvalidArgument"
	CodeInvalidRequest          = "InvalidRequest"
	CodeMethodNotAllowed        = "MethodNotAllowed"
	CodeInvalidObjectState      = "InvalidObjectState"
	CodeInternalError           = "InternalError"
)

func errNoSuchBucket(bucket string) *stepline.Error {
	return &stepline.Error{Code: CodeNoSuchBucket, Message: "The specified bucket does not exist", Status: http.StatusNotFound,
		Fields: map[string]any{"BucketName": bucket}}
}

func errNoSuchKey(key string) *stepline.Error {
	return &stepline.Error{Code: CodeNoSuchKey, Message: "The specified key does not exist.", Status: http.StatusNotFound,
		Fields: map[string]any{"Key": key}}
}

func errNoSuchVersion(key, version string) *stepline.Error {
	return &stepline.Error{Code: CodeNoSuchVersion, Message: "The specified version does not exist.", Status: http.StatusNotFound,
		Fields: map[string]any{"Key": key, "VersionId": version}}
}

func errNoSuchUpload(upload string) *stepline.Error {
	return &stepline.Error{Code: CodeNoSuchUpload, Message: "The specified upload does not exist. The upload ID may be invalid, " +
		"or the upload may have been aborted or completed.", Status: http.StatusNotFound, Fields: map[string]any{"UploadId": upload}}
}

func errInvalidBucketName(bucket string) *stepline.Error {
	return &stepline.Error{Code: CodeInvalidBucketName, Message: "The specified bucket is not valid.", Status: http.StatusBadRequest,
		Fields: map[string]any{"BucketName": bucket}}
}

func errBadDigestMD5() *stepline.Error {
	return &stepline.Error{Code: CodeBadDigest, Message: "The Content-MD5 you specified did not match what we received.", Status: http.StatusBadRequest}
}

// errIncompleteBody is what AWS answers when fewer bytes arrive than announced.
func errIncompleteBody() *stepline.Error {
	return &stepline.Error{Code: CodeIncompleteBody, Message: "You did not provide the number of bytes specified by the Content-Length HTTP header",
		Status: http.StatusBadRequest}
}

func errInvalidArgument(msg, name, value string) *stepline.Error {
	return &stepline.Error{Code: CodeInvalidArgument, Message: msg, Status: http.StatusBadRequest,
		Fields: map[string]any{"ArgumentName": name, "ArgumentValue": value}}
}

func errInvalidRequest(msg string) *stepline.Error {
	return &stepline.Error{Code: CodeInvalidRequest, Message: msg, Status: http.StatusBadRequest}
}
