package plan

// ProviderSpec is what validation knows about one AWS-owned action provider in one
// category: its artifact bounds and required configuration keys. The table follows the
// CodePipeline user guide's "Valid input and output artifacts for each action type"
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-action-artifacts.html)
// and the required keys of each provider's action reference page.
type ProviderSpec struct {
	MinIn, MaxIn   int
	MinOut, MaxOut int
	Required       []string
	V2Only         bool
}

type providerKey struct{ category, provider string }

// awsProviders lists the AWS-owned providers a pipeline may name. Providers the engine
// does not run yet still validate, so declarations written for AWS are accepted; their
// actions fail at run time with a clear message.
func awsProviders() map[providerKey]ProviderSpec {
	return map[providerKey]ProviderSpec{
		{CategorySource, "S3"}:                           {0, 0, 1, 1, []string{"S3Bucket", "S3ObjectKey"}, false},
		{CategorySource, "CodeCommit"}:                   {0, 0, 1, 1, []string{"RepositoryName", "BranchName"}, false},
		{CategorySource, "ECR"}:                          {0, 0, 1, 1, []string{"RepositoryName"}, false},
		{CategorySource, "CodeStarSourceConnection"}:     {0, 0, 1, 1, []string{"ConnectionArn", "FullRepositoryId", "BranchName"}, false},
		{CategoryBuild, "CodeBuild"}:                     {1, 5, 0, 5, []string{"ProjectName"}, false},
		{CategoryTest, "CodeBuild"}:                      {1, 5, 0, 5, []string{"ProjectName"}, false},
		{CategoryBuild, "ECRBuildAndPublish"}:            {1, 1, 0, 0, []string{"ECRRepositoryName"}, true},
		{CategoryCompute, "Commands"}:                    {1, 10, 0, 1, nil, true},
		{CategoryBuild, "Commands"}:                      {1, 10, 0, 1, nil, true},
		{CategoryTest, "DeviceFarm"}:                     {1, 1, 0, 0, nil, false},
		{CategoryApproval, "Manual"}:                     {0, 0, 0, 0, nil, false},
		{CategoryDeploy, "S3"}:                           {1, 1, 0, 0, []string{"BucketName", "Extract"}, false},
		{CategoryDeploy, "CloudFormation"}:               {0, 10, 0, 1, []string{"ActionMode", "StackName"}, false},
		{CategoryDeploy, "CloudFormationStackSet"}:       {1, 10, 0, 0, []string{"StackSetName"}, false},
		{CategoryDeploy, "CloudFormationStackInstances"}: {0, 10, 0, 0, []string{"StackSetName"}, false},
		{CategoryDeploy, "CodeDeploy"}:                   {1, 1, 0, 0, []string{"ApplicationName", "DeploymentGroupName"}, false},
		{CategoryDeploy, "CodeDeployToECS"}:              {1, 3, 0, 0, nil, false},
		{CategoryDeploy, "EC2"}:                          {1, 1, 0, 0, nil, false},
		{CategoryDeploy, "ECS"}:                          {1, 1, 0, 0, []string{"ClusterName", "ServiceName"}, false},
		{CategoryDeploy, "EKS"}:                          {1, 1, 0, 0, nil, true},
		{CategoryDeploy, "ElasticBeanstalk"}:             {1, 1, 0, 0, []string{"ApplicationName", "EnvironmentName"}, false},
		{CategoryDeploy, "AppConfig"}:                    {1, 1, 0, 0, nil, false},
		{CategoryDeploy, "OpsWorks"}:                     {1, 1, 0, 0, nil, false},
		{CategoryDeploy, "ServiceCatalog"}:               {1, 1, 0, 0, nil, false},
		{CategoryDeploy, "Lambda"}:                       {0, 5, 0, 5, []string{"FunctionName"}, false},
		{CategoryInvoke, "Lambda"}:                       {0, 5, 0, 5, []string{"FunctionName"}, false},
		{CategoryInvoke, "StepFunctions"}:                {0, 1, 0, 1, []string{"StateMachineArn"}, false},
		{CategoryInvoke, "CodePipeline"}:                 {0, 0, 0, 0, []string{"PipelineName"}, false},
		{CategoryInvoke, "InspectorScan"}:                {0, 1, 0, 0, nil, false},
	}
}

// LookupProvider returns the spec of an AWS-owned provider.
func LookupProvider(id ActionTypeID) (ProviderSpec, bool) {
	if id.Owner != "AWS" || id.Version != "1" {
		return ProviderSpec{}, false
	}
	s, ok := awsProviders()[providerKey{id.Category, id.Provider}]
	return s, ok
}

// ProviderEntry is one AWS-owned action type and its spec.
type ProviderEntry struct {
	ID   ActionTypeID
	Spec ProviderSpec
}

// Providers lists the AWS-owned action types validation accepts, ordered by category
// then provider, for ListActionTypes.
func Providers() []ProviderEntry {
	m := awsProviders()
	out := make([]ProviderEntry, 0, len(m))
	for k, v := range m {
		out = append(out, ProviderEntry{ID: ActionTypeID{Category: k.category, Owner: "AWS", Provider: k.provider, Version: "1"}, Spec: v})
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && less(out[j].ID, out[j-1].ID); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func less(a, b ActionTypeID) bool {
	if a.Category != b.Category {
		return a.Category < b.Category
	}
	return a.Provider < b.Provider
}
