package web

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"stepline"
	"stepline/pipeline/plan"
	"stepline/sfn"
)

// newPipelinePath is the create-pipeline page. It is not under /pipelines/ because
// "new" is a valid pipeline name, whose page is /pipelines/new.
const newPipelinePath = Prefix + "/new/pipeline"

// pipelineNameRE is CodePipeline's pattern for pipeline names.
var pipelineNameRE = regexp.MustCompile(`^[A-Za-z0-9.@\-_]{1,100}$`)

// newPipelineForm is what the create-pipeline form holds: a source stage (Amazon S3 or
// AWS CodeCommit) and an optional second stage (AWS Step Functions or a manual
// approval), the shape of the AWS console's wizard without its build and deploy
// providers, which stepline does not run.
type newPipelineForm struct {
	Tab           string // "form" or "json"
	Name          string
	Type          string // V1 or V2
	RoleARN       string
	ArtifactStore string
	Source        string // S3 or CodeCommit
	Bucket        string
	Key           string
	Repository    string
	Branch        string
	StageName     string
	Provider      string // StepFunctions or Manual, for the second stage
	StateMachine  string
	Prefix        string
	Input         string
	JSON          string
	Errors        map[string]string // by field name; "form" for the form as a whole
	Machines      []sfn.StateMachine
}

// defaults fills the fields a person may leave as they are.
func (c *Console) newPipelineDefaults(f *newPipelineForm) {
	if f.Type == "" {
		f.Type = plan.PipelineTypeV2
	}
	if f.Source == "" {
		f.Source = "S3"
	}
	if f.Branch == "" {
		f.Branch = "main"
	}
	if f.ArtifactStore == "" {
		f.ArtifactStore = "codepipeline-" + c.deps.Region + "-" + c.account()
	}
	if f.Provider == "" {
		f.Provider = "StepFunctions"
	}
	if f.Input == "" {
		f.Input = "{}"
	}
}

// account is the account id of the console's default role.
func (c *Console) account() string {
	parts := strings.Split(c.deps.RoleARN, ":")
	if len(parts) > 4 && parts[4] != "" {
		return parts[4]
	}
	return "000000000000"
}

// pipelineNew shows the create-pipeline page.
func (c *Console) pipelineNew(w http.ResponseWriter, r *http.Request) error {
	if _, err := c.pipelineService(); err != nil {
		return err
	}
	f := newPipelineForm{Tab: r.URL.Query().Get("with")}
	return c.renderNewPipeline(w, r, 0, f)
}

func (c *Console) renderNewPipeline(w http.ResponseWriter, r *http.Request, status int, f newPipelineForm) error {
	if f.Tab != "json" {
		f.Tab = "form"
	}
	c.newPipelineDefaults(&f)
	// The state machines to choose from; a page of them is plenty for a picker, and
	// the field takes any ARN typed in.
	if sms, _, err := c.deps.SFN.StateMachineList(r.Context(), sfn.Page{Max: 100}); err == nil {
		f.Machines = sms
	}
	return c.render(w, status, "pipeline_new", view{
		Title: "Create pipeline", Nav: "pipelines",
		Crumbs: []crumb{{Text: "Pipelines", Href: Prefix + "/pipelines"}, {Text: "Create pipeline"}},
		Body:   f,
	})
}

// pipelineCreate creates a pipeline from the form or from pasted JSON. Creating a
// pipeline starts its first execution, as on AWS.
func (c *Console) pipelineCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := c.pipelineService()
	if err != nil {
		return err
	}
	f := newPipelineForm{
		Tab: r.PostFormValue("with"), Name: strings.TrimSpace(r.PostFormValue("name")), Type: r.PostFormValue("type"),
		RoleARN: strings.TrimSpace(r.PostFormValue("role")), ArtifactStore: strings.TrimSpace(r.PostFormValue("artifacts")),
		Source: r.PostFormValue("source"), Bucket: strings.TrimSpace(r.PostFormValue("bucket")), Key: strings.TrimSpace(r.PostFormValue("key")),
		Repository: strings.TrimSpace(r.PostFormValue("repository")), Branch: strings.TrimSpace(r.PostFormValue("branch")),
		StageName: strings.TrimSpace(r.PostFormValue("stage")), Provider: r.PostFormValue("provider"),
		StateMachine: strings.TrimSpace(r.PostFormValue("statemachine")), Prefix: strings.TrimSpace(r.PostFormValue("prefix")),
		Input: r.PostFormValue("input"), JSON: r.PostFormValue("declaration"), Errors: map[string]string{},
	}
	var p plan.Pipeline
	if f.Tab == "json" {
		p, err = parseDeclaration(f.JSON)
		if err != nil {
			f.Errors["declaration"] = messageOf(err)
		}
	} else {
		c.newPipelineDefaults(&f)
		p = c.formPipeline(&f)
	}
	if len(f.Errors) == 0 {
		_, err = svc.CreatePipeline(r.Context(), p, nil)
		var se *stepline.Error
		switch {
		case errors.As(err, &se):
			f.Errors[createErrorField(f.Tab, se)] = se.Message
		case err != nil:
			return err
		}
	}
	if len(f.Errors) > 0 {
		return c.renderNewPipeline(w, r, http.StatusBadRequest, f)
	}
	http.Redirect(w, r, pipelineURL(p.Name)+"?done=created", http.StatusSeeOther)
	return nil
}

// createErrorField is the field a service error is shown beside: the JSON text area
// for pasted JSON; on the form, the field the message is about when that is clear,
// else the form's own error above the buttons.
func createErrorField(tab string, e *stepline.Error) string {
	if tab == "json" {
		return "declaration"
	}
	m := strings.ToLower(e.Message)
	switch {
	case e.Code == "PipelineNameInUseException" || strings.Contains(m, "pipeline name"):
		return "name"
	case strings.Contains(m, "role"):
		return "role"
	case strings.Contains(m, "artifact store") || strings.Contains(m, "artifactstore"):
		return "artifacts"
	case strings.Contains(m, "stage"):
		return "stage"
	}
	return "form"
}

// formPipeline builds the declaration the form describes, recording what is missing
// in f.Errors beside the field concerned.
func (c *Console) formPipeline(f *newPipelineForm) plan.Pipeline {
	need := func(field, value, msg string) {
		if value == "" {
			f.Errors[field] = msg
		}
	}
	if !pipelineNameRE.MatchString(f.Name) {
		f.Errors["name"] = "Enter a pipeline name of 1 to 100 letters, digits, and . @ - _"
	}
	if f.Type != plan.PipelineTypeV1 && f.Type != plan.PipelineTypeV2 {
		f.Errors["type"] = "Choose V1 or V2."
	}
	role := f.RoleARN
	if role == "" {
		role = "arn:aws:iam::" + c.account() + ":role/service-role/AWSCodePipelineServiceRole-" + c.deps.Region + "-" + f.Name
	}
	p := plan.Pipeline{Name: f.Name, RoleARN: role, PipelineType: f.Type,
		ArtifactStore: &plan.ArtifactStore{Type: "S3", Location: f.ArtifactStore}}
	src := plan.Action{Name: "Source", RunOrder: 1, OutputArtifacts: []plan.OutputArtifact{{Name: "SourceArtifact"}}}
	switch f.Source {
	case "S3":
		need("bucket", f.Bucket, "Enter the bucket that holds the source object.")
		need("key", f.Key, "Enter the S3 object key of the source, for example source.zip.")
		src.ActionTypeID = plan.ActionTypeID{Category: plan.CategorySource, Owner: "AWS", Provider: "S3", Version: "1"}
		src.Configuration = map[string]string{"S3Bucket": f.Bucket, "S3ObjectKey": f.Key, "PollForSourceChanges": "false"}
	case "CodeCommit":
		need("repository", f.Repository, "Enter the repository name.")
		need("branch", f.Branch, "Enter the branch name.")
		src.ActionTypeID = plan.ActionTypeID{Category: plan.CategorySource, Owner: "AWS", Provider: "CodeCommit", Version: "1"}
		src.Configuration = map[string]string{"RepositoryName": f.Repository, "BranchName": f.Branch, "PollForSourceChanges": "false"}
	default:
		f.Errors["source"] = "Choose Amazon S3 or AWS CodeCommit."
	}
	p.Stages = append(p.Stages, plan.Stage{Name: "Source", Actions: []plan.Action{src}})
	if f.StageName == "" {
		return p
	}
	act := plan.Action{Name: f.StageName, RunOrder: 1}
	switch f.Provider {
	case "StepFunctions":
		need("statemachine", f.StateMachine, "Choose or enter the state machine ARN.")
		act.ActionTypeID = plan.ActionTypeID{Category: plan.CategoryInvoke, Owner: "AWS", Provider: "StepFunctions", Version: "1"}
		act.InputArtifacts = []plan.ArtifactName{{Name: "SourceArtifact"}}
		act.Configuration = map[string]string{"StateMachineArn": f.StateMachine, "InputType": "Literal", "Input": f.Input}
		if f.Prefix != "" {
			act.Configuration["ExecutionNamePrefix"] = f.Prefix
		}
	case "Manual":
		act.ActionTypeID = plan.ActionTypeID{Category: plan.CategoryApproval, Owner: "AWS", Provider: "Manual", Version: "1"}
	default:
		f.Errors["provider"] = "Choose AWS Step Functions or Manual approval."
	}
	p.Stages = append(p.Stages, plan.Stage{Name: f.StageName, Actions: []plan.Action{act}})
	return p
}
