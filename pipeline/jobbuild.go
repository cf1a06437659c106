package pipeline

import (
	"context"
	"regexp"
	"strings"

	"stepline"
	"stepline/pipeline/action"
	"stepline/pipeline/plan"
)

func withIdentity(ctx context.Context, doc pipelineDoc) context.Context {
	return stepline.ContextWithIdentity(ctx, stepline.Identity{Account: doc.Account, Region: doc.Region, Partition: doc.Partition})
}

// buildJob assembles what a provider needs: resolved configuration, where the inputs
// are and where the outputs go.
func buildJob(p plan.Pipeline, doc pipelineDoc, e *plan.Execution, in jobInput) (action.Job, plan.Action, bool) {
	i := p.StageIndex(in.Stage)
	if i < 0 {
		return action.Job{}, plan.Action{}, false
	}
	var decl *plan.Action
	for k := range p.Stages[i].Actions {
		if p.Stages[i].Actions[k].Name == in.Action {
			decl = &p.Stages[i].Actions[k]
		}
	}
	if decl == nil {
		return action.Job{}, plan.Action{}, false
	}
	region := decl.Region
	if region == "" {
		region = doc.Region
	}
	job := action.Job{
		PipelineName: doc.Name, PipelineARN: in.PipelineARN, ExecutionID: e.ID, ActionExecutionID: in.ActionExecutionID,
		Stage: in.Stage, Action: in.Action, Account: doc.Account, Region: region, Partition: doc.Partition,
		TypeID: decl.ActionTypeID, Configuration: ResolveConfiguration(p, e, decl.Configuration),
		TimeoutMinutes: decl.TimeoutInMinutes,
	}
	for i := range e.SourceRevisions {
		if e.SourceRevisions[i].ActionName == in.Action && isFirstStage(p, in.Stage) {
			sr := e.SourceRevisions[i]
			job.SourceRevision = &sr
		}
	}
	for _, a := range decl.InputArtifacts {
		job.InputArtifacts = append(job.InputArtifacts, producedArtifact(e, a.Name))
	}
	bucket := artifactBucket(p, region)
	for _, o := range decl.OutputArtifacts {
		job.OutputArtifacts = append(job.OutputArtifacts, plan.ArtifactLocation{
			Name: o.Name, Bucket: bucket, Key: ArtifactKey(doc.Name, o.Name, in.ActionExecutionID),
		})
	}
	return job, *decl, true
}

// isFirstStage reports whether the stage is the first, where source actions are.
func isFirstStage(p plan.Pipeline, stage string) bool { return p.StageIndex(stage) == 0 }

func artifactBucket(p plan.Pipeline, region string) string {
	if p.ArtifactStore != nil {
		return p.ArtifactStore.Location
	}
	return p.ArtifactStores[region].Location
}

// ArtifactKey is where an output artifact is stored in the artifact bucket, in AWS's
// layout: the pipeline name cut to 20 characters, the artifact name cut to 10, and a
// short unique name.
func ArtifactKey(pipeline, artifact, actionExecutionID string) string {
	return cut(pipeline, 20) + "/" + cut(artifact, 10) + "/" + cut(strings.ReplaceAll(actionExecutionID, "-", ""), 7)
}

func cut(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// producedArtifact finds the newest run of the execution that produced the artifact.
func producedArtifact(e *plan.Execution, name string) plan.ArtifactLocation {
	for i := len(e.Actions) - 1; i >= 0; i-- {
		a := e.Actions[i]
		if a.Status != plan.StatusSucceeded {
			continue
		}
		for _, o := range a.Result.OutputArtifacts {
			if o.Name == name {
				return o
			}
		}
	}
	// A rollback execution reads what its target produced before the stage.
	for _, a := range e.Inherited {
		for _, o := range a.Result.OutputArtifacts {
			if o.Name == name {
				return o
			}
		}
	}
	return plan.ArtifactLocation{Name: name}
}

var variableRef = regexp.MustCompile(`#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_.]+)\}`)

// ResolveConfiguration replaces #{namespace.variable} references in an action's
// configuration: codepipeline.PipelineExecutionId, variables.<name> for pipeline
// variables, and the output variables of earlier actions by their namespace
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-variables.html).
// Unknown references are left as written.
func ResolveConfiguration(p plan.Pipeline, e *plan.Execution, cfg map[string]string) map[string]string {
	if len(cfg) == 0 {
		return cfg
	}
	namespaces := map[string]map[string]string{}
	for _, s := range p.Stages {
		for _, a := range s.Actions {
			if a.Namespace == "" {
				continue
			}
			if run := e.Produced(s.Name, a.Name); run != nil && run.Status == plan.StatusSucceeded {
				namespaces[a.Namespace] = run.Result.OutputVariables
			}
		}
	}
	out := make(map[string]string, len(cfg))
	for k, v := range cfg {
		out[k] = variableRef.ReplaceAllStringFunc(v, func(ref string) string {
			m := variableRef.FindStringSubmatch(ref)
			switch m[1] {
			case "codepipeline":
				if m[2] == "PipelineExecutionId" {
					return e.ID
				}
			case "variables":
				if val, ok := e.Variables[m[2]]; ok {
					return val
				}
			default:
				if val, ok := namespaces[m[1]][m[2]]; ok {
					return val
				}
			}
			return ref
		})
	}
	return out
}
