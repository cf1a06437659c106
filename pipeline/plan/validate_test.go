package plan_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/pipeline/plan"
)

// basePipeline is a valid two-stage pipeline the cases below break one way each.
const basePipeline = `{
  "name": "demo", "roleArn": "arn:aws:iam::000000000000:role/p",
  "artifactStore": {"type": "S3", "location": "artifacts"},
  "stages": [
    {"name": "Source", "actions": [{"name": "Source",
      "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
      "configuration": {"S3Bucket": "src", "S3ObjectKey": "app.zip"},
      "outputArtifacts": [{"name": "SourceArtifact"}]}]},
    {"name": "Invoke", "actions": [{"name": "Invoke",
      "actionTypeId": {"category": "Invoke", "owner": "AWS", "provider": "StepFunctions", "version": "1"},
      "configuration": {"StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:HelloWorld"},
      "inputArtifacts": [{"name": "SourceArtifact"}]}]}
  ]
}`

func mustPipeline(t *testing.T, mutate func(p *plan.Pipeline)) *plan.Pipeline {
	t.Helper()
	var p plan.Pipeline
	require.NoError(t, json.Unmarshal([]byte(basePipeline), &p))
	if mutate != nil {
		mutate(&p)
	}
	return &p
}

func approvalAction(name string) plan.Action {
	return plan.Action{Name: name, ActionTypeID: plan.ActionTypeID{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		mutate  func(p *plan.Pipeline)
		code    string
		message string
	}{
		{"Valid", nil, "", ""},
		{"OneStage", func(p *plan.Pipeline) { p.Stages = p.Stages[:1] }, plan.CodeInvalidStructure,
			"Pipeline has only 1 stage(s). There should be a minimum of 2 stages in a pipeline"},
		{"TooManyStages", func(p *plan.Pipeline) {
			for i := 0; i < 50; i++ {
				p.Stages = append(p.Stages, plan.Stage{Name: "S" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Actions: []plan.Action{approvalAction("A")}})
			}
		}, plan.CodeInvalidStructure, "Pipeline has too many stages. There can only be up to 50 stages in a pipeline"},
		{"FirstStageNotSource", func(p *plan.Pipeline) {
			p.Stages[0].Actions = append(p.Stages[0].Actions, approvalAction("Approve"))
		}, plan.CodeInvalidStructure, "Pipeline should start with a stage that only contains source actions"},
		{"SourceLater", func(p *plan.Pipeline) {
			src := p.Stages[0].Actions[0]
			src.Name, src.OutputArtifacts = "Second", []plan.OutputArtifact{{Name: "Other"}}
			p.Stages[1].Actions = append(p.Stages[1].Actions, src)
		}, plan.CodeInvalidStructure, "Source actions can only be included in the first stage of the pipeline"},
		{"OnlySources", func(p *plan.Pipeline) {
			p.Stages[1] = plan.Stage{Name: "Again", Actions: nil}
		}, plan.CodeInvalidStructure, "Pipeline should contain at least 1 action whose category is not Source"},
		{"DuplicateStage", func(p *plan.Pipeline) {
			p.Stages = append(p.Stages, plan.Stage{Name: "Invoke", Actions: []plan.Action{approvalAction("A")}})
		}, plan.CodeInvalidStageDeclaration, "Stage name 'Invoke' is used more than once"},
		{"MissingConfiguration", func(p *plan.Pipeline) {
			delete(p.Stages[0].Actions[0].Configuration, "S3ObjectKey")
		}, plan.CodeInvalidActionDeclaration, "Action configuration for action 'Source' is missing required configuration 'S3ObjectKey'"},
		{"CodeCommitBranch", func(p *plan.Pipeline) {
			a := &p.Stages[0].Actions[0]
			a.ActionTypeID.Provider = "CodeCommit"
			a.Configuration = map[string]string{"RepositoryName": "r"}
		}, plan.CodeInvalidActionDeclaration, "Action configuration for action 'Source' is missing required configuration 'BranchName'"},
		{"StepFunctionsArn", func(p *plan.Pipeline) {
			delete(p.Stages[1].Actions[0].Configuration, "StateMachineArn")
		}, plan.CodeInvalidActionDeclaration, "Action configuration for action 'Invoke' is missing required configuration 'StateMachineArn'"},
		{"S3DeployExtract", func(p *plan.Pipeline) {
			p.Stages[1].Actions[0] = plan.Action{Name: "Deploy", ActionTypeID: plan.ActionTypeID{Category: "Deploy", Owner: "AWS", Provider: "S3", Version: "1"},
				Configuration: map[string]string{"BucketName": "site"}, InputArtifacts: []plan.ArtifactName{{Name: "SourceArtifact"}}}
		}, plan.CodeInvalidActionDeclaration, "Action configuration for action 'Deploy' is missing required configuration 'Extract'"},
		{"TooFewInputs", func(p *plan.Pipeline) {
			p.Stages[1].Actions[0] = plan.Action{Name: "Deploy", ActionTypeID: plan.ActionTypeID{Category: "Deploy", Owner: "AWS", Provider: "S3", Version: "1"},
				Configuration: map[string]string{"BucketName": "site", "Extract": "true"}}
		}, plan.CodeInvalidActionDeclaration, "Action Deploy declares 0 input artifacts which is less than the minimum count (1)"},
		{"UnknownProvider", func(p *plan.Pipeline) {
			p.Stages[1].Actions[0].ActionTypeID.Provider = "Nope"
		}, plan.CodeInvalidActionDeclaration,
			"ActionType (Category: 'Invoke', Provider: 'Nope', Owner: 'AWS', Version: '1') in action 'Invoke' is not available in region"},
		{"DuplicateOutput", func(p *plan.Pipeline) {
			a := approvalAction("X")
			p.Stages = append(p.Stages, plan.Stage{Name: "More", Actions: []plan.Action{{
				Name: "Out", ActionTypeID: plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"},
				Configuration: map[string]string{"StateMachineArn": "arn"}, OutputArtifacts: []plan.OutputArtifact{{Name: "SourceArtifact"}},
			}, a}})
		}, plan.CodeInvalidStructure, "Output Artifact Bundle name must be unique within the pipeline. SourceArtifact has been used more than once."},
		{"InputNotProducedEarlier", func(p *plan.Pipeline) {
			p.Stages[1].Actions[0].InputArtifacts = []plan.ArtifactName{{Name: "Later"}}
			p.Stages[1].Actions = append(p.Stages[1].Actions, plan.Action{
				Name: "Producer", RunOrder: 1, ActionTypeID: plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"},
				Configuration: map[string]string{"StateMachineArn": "arn"}, OutputArtifacts: []plan.OutputArtifact{{Name: "Later"}},
			})
		}, plan.CodeInvalidStructure, "Input Artifact Bundle Later in action Invoke is not declared as an output artifact in any of the preceding actions"},
		{"VariablesOnV1", func(p *plan.Pipeline) {
			p.Variables = []plan.Variable{{Name: "v", DefaultValue: "1"}}
		}, plan.CodeInvalidStructure, "Pipeline variable can only be used with V2 pipelines"},
		{"QueuedOnV1", func(p *plan.Pipeline) { p.ExecutionMode = plan.ModeQueued }, plan.CodeInvalidStructure,
			"QUEUED or PARALLEL mode can only be used with V2 pipelines"},
		{"ConditionsOnV1", func(p *plan.Pipeline) {
			p.Stages[1].OnFailure = &plan.FailureGate{Result: "RETRY"}
		}, plan.CodeInvalidStageDeclaration, "Stage level conditions can only be used with V2 pipelines."},
		{"DuplicateVariables", func(p *plan.Pipeline) {
			p.PipelineType = plan.PipelineTypeV2
			p.Variables = []plan.Variable{{Name: "v"}, {Name: "v"}}
		}, plan.CodeInvalidStructure, "Variable names must be unique. The following variable name is already in use: v"},
		{"FailureResultAndConditions", func(p *plan.Pipeline) {
			p.PipelineType = plan.PipelineTypeV2
			p.Stages[1].OnFailure = &plan.FailureGate{Result: "RETRY", Conditions: []plan.Condition{{Result: "FAIL"}}}
		}, plan.CodeInvalidStageDeclaration,
			"The following stage cannot have a failure exit gate configured with both top level result and conditions: 'Invoke'"},
		{"RollbackInParallel", func(p *plan.Pipeline) {
			p.PipelineType, p.ExecutionMode = plan.PipelineTypeV2, plan.ModeParallel
			p.Stages[1].OnFailure = &plan.FailureGate{Result: "ROLLBACK"}
		}, plan.CodeInvalidStageDeclaration, "Failure conditions with rollback result type cannot be added to a PARALLEL pipeline."},
		{"CommandsOnV1", func(p *plan.Pipeline) {
			p.Stages[1].Actions[0] = plan.Action{Name: "Cmd", ActionTypeID: plan.ActionTypeID{Category: "Compute", Owner: "AWS", Provider: "Commands", Version: "1"},
				Commands: []string{"make"}, InputArtifacts: []plan.ArtifactName{{Name: "SourceArtifact"}}}
		}, plan.CodeInvalidActionDeclaration, "Commands Action can only be used with V2 pipelines."},
		{"TriggerWithoutConnection", func(p *plan.Pipeline) {
			p.PipelineType = plan.PipelineTypeV2
			p.Triggers = []plan.Trigger{{ProviderType: "CodeStarSourceConnection", GitConfiguration: plan.GitConfiguration{SourceActionName: "Source"}}}
		}, plan.CodeInvalidStructure, "Triggers for connections must reference a CodeStarSourceConnection action."},
		{"BothArtifactStores", func(p *plan.Pipeline) {
			p.ArtifactStores = map[string]plan.ArtifactStore{"us-east-1": {Type: "S3", Location: "x"}}
		}, plan.CodeInvalidStructure, "Pipeline cannot contain both 'pipeline.artifactStore' and 'pipeline.artifactStores'"},
		{"StoresMissRegion", func(p *plan.Pipeline) {
			p.ArtifactStore = nil
			p.ArtifactStores = map[string]plan.ArtifactStore{"us-east-1": {Type: "S3", Location: "x"}}
			p.Stages[1].Actions[0].Region = "eu-west-1"
		}, plan.CodeInvalidStructure, "The following region is missing in 'pipeline.artifactStores': eu-west-1."},
		{"StepFunctionsFilePathNeedsInput", func(p *plan.Pipeline) {
			p.Stages[1].Actions[0].Configuration["InputType"] = "FilePath"
		}, plan.CodeInvalidActionDeclaration, "Action configuration for action 'Invoke' is missing required configuration 'Input'"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := plan.Validate(mustPipeline(t, tc.mutate))
			if tc.code == "" {
				require.Nil(t, err)
				return
			}
			require.NotNil(t, err)
			require.Equal(t, tc.code, err.Code)
			require.Equal(t, tc.message, err.Message)
		})
	}
}
