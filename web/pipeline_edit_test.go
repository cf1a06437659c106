package web_test

import (
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/pipeline"
	"stepline/pipeline/plan"
	"stepline/sfn"
	"stepline/store/sqlite"
	"stepline/web"
)

// editPage is one answer of the editor: its status, its HTML, and the fields its
// form would post back.
type editPage struct {
	Code   int
	Body   string
	Path   string // where the form posts
	Hidden url.Values
}

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
	formAction  = regexp.MustCompile(`<form id="edit-form" class="edit-form" method="post" action="([^"]+)"`)
)

func newEditPage(code int, body string) editPage {
	p := editPage{Code: code, Body: body, Hidden: url.Values{}}
	if m := formAction.FindStringSubmatch(body); m != nil {
		p.Path = html.UnescapeString(m[1])
	}
	for _, m := range hiddenInput.FindAllStringSubmatch(body, -1) {
		p.Hidden.Add(m[1], html.UnescapeString(m[2]))
	}
	return p
}

// region returns the HTML of the stage region with the given name.
func (p editPage) region(t *testing.T, name string) string {
	t.Helper()
	start := strings.Index(p.Body, `role="region" aria-label="`+name+`"`)
	require.Positive(t, start, "no region %q in\n%s", name, p.Body)
	end := strings.Index(p.Body[start:], "</section>")
	require.Positive(t, end)
	return p.Body[start : start+end]
}

// MustOpenEditor opens the editor of a pipeline.
func (b *pipelineBundle) MustOpenEditor(t *testing.T, name string) editPage {
	t.Helper()
	code, body := b.get(t, "/_console/pipelines/"+name+"/edit")
	require.Equal(t, http.StatusOK, code, body)
	return newEditPage(code, body)
}

// press posts the page's form with the button op and the given fields, as the
// browser does when the button is pressed.
func (b *pipelineBundle) press(t *testing.T, p editPage, op string, fields url.Values) editPage {
	t.Helper()
	form := url.Values{}
	for k, v := range p.Hidden {
		form[k] = append([]string(nil), v...)
	}
	for k, v := range fields {
		form[k] = v
	}
	form.Set("op", op)
	w := b.post(t, p.Path, form)
	if w.Code == http.StatusSeeOther {
		return editPage{Code: w.Code, Body: w.Header().Get("Location")}
	}
	return newEditPage(w.Code, w.Body.String())
}

// tutorialAction is the tutorial's Step Functions action form, filled in.
func tutorialAction(machineARN string) url.Values {
	return url.Values{
		"a_name": {"Invoke"}, "a_provider": {"Invoke|AWS|StepFunctions|1"}, "a_region": {"us-east-1"},
		"a_inputs": {"Src"}, "a_sm": {machineARN}, "a_prefix": {"my-prefix"}, "a_inputtype": {"Literal"},
		"a_input": {`{"IsHelloWorldExample": true}`}, "a_outputs": {""},
	}
}

func TestPipelineEditTutorialSteps(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	b.createRelease(t)
	b.waitDone(t)

	p := b.MustOpenEditor(t, "release")
	require.Contains(t, p.Body, "Editing: release")
	require.Contains(t, p.region(t, "Run workflow"), `>Edit stage</button>`)

	// Edit stage, then Delete, on the second stage.
	p = b.press(t, p, "edit-stage:1", nil)
	require.Equal(t, http.StatusOK, p.Code)
	require.Contains(t, p.region(t, "Run workflow"), `>Delete</button>`)
	require.Contains(t, p.Body, `id="stage-1-add-group" type="submit" name="op" value="add-group:1" autofocus>`,
		"the stage being edited keeps the focus, so a long page stays where the user works")
	p = b.press(t, p, "delete-stage:1", nil)
	require.NotContains(t, p.Body, `aria-label="Run workflow"`)

	// + Add stage, Stage name, Add stage: the new stage opens for editing.
	p = b.press(t, p, "add-stage-open", nil)
	require.Contains(t, p.Body, `<label for="stage_name">Stage name</label>`)
	requireLabelled(t, p.Body)
	p = b.press(t, p, "add-stage", url.Values{"stage_name": {"Invoke"}})
	require.Equal(t, http.StatusOK, p.Code)
	require.Contains(t, p.region(t, "Invoke"), `>+ Add action group</button>`)

	// + Add action group opens the action form; choosing the provider shows its fields.
	p = b.press(t, p, "add-group:1", nil)
	form := p.region(t, "Invoke")
	for _, label := range []string{"Action name", "Action provider", "Region", "Input artifacts"} {
		require.Contains(t, form, `">`+label+`</label>`)
	}
	require.Contains(t, form, `<option value="Invoke|AWS|StepFunctions|1">AWS Step Functions</option>`)
	require.Contains(t, form, `id="a_region" name="a_region" value="us-east-1"`, "Region defaults to the pipeline's")
	p = b.press(t, p, "provider", url.Values{"a_name": {"Invoke"}, "a_provider": {"Invoke|AWS|StepFunctions|1"}})
	form = p.region(t, "Invoke")
	require.Contains(t, form, `value="Invoke"`, "what was typed stays")
	require.Contains(t, form, `>State machine ARN</label>`)
	require.Contains(t, form, `<option value="`+b.machineARN+`">`)
	require.Contains(t, form, `>Execution name prefix <span class="optional" aria-hidden="true">(optional)</span></label>`)
	require.Contains(t, form, `<option value="FilePath">File path</option>`)
	require.Contains(t, form, `<option value="Src">Src</option>`)
	requireLabelled(t, p.Body)

	// Done for the action, then for the stage.
	p = b.press(t, p, "action-done", tutorialAction(b.machineARN))
	require.Equal(t, http.StatusOK, p.Code, p.Body)
	require.Contains(t, p.region(t, "Invoke"), "AWS Step Functions")
	p = b.press(t, p, "stage-done:1", nil)
	require.Contains(t, p.region(t, "Invoke"), `>Edit stage</button>`)

	// Save shows the warning; nothing is stored until its Save.
	p = b.press(t, p, "save", nil)
	require.Contains(t, p.Body, `role="alertdialog"`)
	require.Contains(t, p.Body, "Saving changes may start an execution")
	cur, _, err := b.pl.GetPipeline(t.Context(), "release", 0)
	require.NoError(t, err)
	require.Equal(t, 1, cur.Version)
	p = b.press(t, p, "save-confirm", nil)
	require.Equal(t, http.StatusSeeOther, p.Code)
	require.Equal(t, "/_console/pipelines/release", p.Body)

	cur, _, err = b.pl.GetPipeline(t.Context(), "release", 0)
	require.NoError(t, err)
	require.Equal(t, 2, cur.Version)
	require.Len(t, cur.Stages, 2)
	inv := cur.Stages[1]
	require.Equal(t, "Invoke", inv.Name)
	require.Len(t, inv.Actions, 1)
	a := inv.Actions[0]
	require.Equal(t, plan.ActionTypeID{Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1"}, a.ActionTypeID)
	require.Equal(t, []plan.ArtifactName{{Name: "Src"}}, a.InputArtifacts)
	require.Empty(t, a.Region, "the pipeline's own region is left out")
	require.Equal(t, map[string]string{"StateMachineArn": b.machineARN, "ExecutionNamePrefix": "my-prefix",
		"InputType": "Literal", "Input": `{"IsHelloWorldExample": true}`}, a.Configuration)
	require.Equal(t, "Source", cur.Stages[0].Name, "the first stage is untouched")
}

func TestPipelineEditErrorsBesideControls(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	b.createRelease(t)
	b.waitDone(t)
	p := b.MustOpenEditor(t, "release")

	t.Run("DuplicateStageName", func(t *testing.T) {
		t.Parallel()
		r := b.press(t, p, "add-stage", url.Values{"stage_name": {"Source"}, "addstage": {"1"}})
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		require.Regexp(t, `(?s)id="stage_name"[^>]*aria-invalid="true".*<p class="field-error" id="stage_name-error">The pipeline already has a stage called Source.</p>`, r.Body)
	})
	t.Run("LiteralInputNotJSON", func(t *testing.T) {
		t.Parallel()
		r := b.press(t, p, "add-group:1", nil)
		fields := tutorialAction(b.machineARN)
		fields.Set("a_name", "Second")
		fields.Set("a_input", "{not json")
		r = b.press(t, r, "action-done", fields)
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		require.Contains(t, r.region(t, "Run workflow"), `<p class="field-error" id="a_input-error">A Literal input is a JSON text`)
		require.Contains(t, r.Body, `{not json</textarea>`, "what was typed stays")
	})
	t.Run("DuplicateActionName", func(t *testing.T) {
		t.Parallel()
		r := b.press(t, p, "add-group:1", nil)
		r = b.press(t, r, "action-done", tutorialAction(b.machineARN))
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		require.Contains(t, r.Body, `id="a_name-error">The stage already has an action called Invoke.`)
	})
	t.Run("SaveEmptyStage", func(t *testing.T) {
		t.Parallel()
		r := b.press(t, p, "add-stage", url.Values{"stage_name": {"Empty"}})
		r = b.press(t, r, "stage-done:2", nil)
		r = b.press(t, r, "save-confirm", nil)
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		require.Contains(t, r.region(t, "Empty"), `<p class="field-error" id="stage-2-error" role="alert">Stage &#39;Empty&#39; must contain at least one action</p>`)
	})
	t.Run("SaveOneStage", func(t *testing.T) {
		t.Parallel()
		r := b.press(t, p, "delete-stage:1", nil)
		r = b.press(t, r, "save-confirm", nil)
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		require.Contains(t, r.Body, `<p class="field-error" id="stages-error" role="alert">Pipeline has only 1 stage(s).`)
	})
	t.Run("SaveMissingConfiguration", func(t *testing.T) {
		t.Parallel()
		// A draft edited by hand: the service's message opens the action's form with
		// the message beside the field of the missing key.
		form := url.Values{}
		for k, v := range p.Hidden {
			form[k] = v
		}
		form.Set("draft", strings.Replace(p.Hidden.Get("draft"), `"StateMachineArn"`, `"Other"`, 1))
		r := b.press(t, editPage{Path: p.Path, Hidden: form}, "save-confirm", nil)
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		require.Contains(t, r.region(t, "Run workflow"),
			`id="a_sm-error">Action configuration for action &#39;Invoke&#39; is missing required configuration &#39;StateMachineArn&#39;`)
	})
	t.Run("ChangedElsewhere", func(t *testing.T) {
		t.Parallel()
		form := url.Values{}
		for k, v := range p.Hidden {
			form[k] = v
		}
		form.Set("draft", strings.Replace(p.Hidden.Get("draft"), `"version":1`, `"version":7`, 1))
		r := b.press(t, editPage{Path: p.Path, Hidden: form}, "save-confirm", nil)
		require.Equal(t, http.StatusUnprocessableEntity, r.Code)
		require.Contains(t, r.Body, `id="save-error" role="alert">The pipeline was changed elsewhere`)
	})
	t.Run("BadForms", func(t *testing.T) {
		t.Parallel()
		for _, op := range []string{"nope", "edit-stage:9", "delete-action:0:5", "edit-stage", "edit-stage:-1", "a:b:c:d", "add-action:0:x"} {
			r := b.press(t, p, op, nil)
			require.Equal(t, http.StatusBadRequest, r.Code, op)
			require.Contains(t, r.Body, "The edit form could not be read", op)
		}
		w := b.post(t, "/_console/pipelines/release/edit", url.Values{"draft": {"{"}, "op": {"save"}})
		require.Equal(t, http.StatusBadRequest, w.Code)
		w = b.post(t, "/_console/pipelines/other/edit", url.Values{"draft": p.Hidden["draft"], "op": {"save"}})
		require.Equal(t, http.StatusBadRequest, w.Code, "a draft of another pipeline")
	})
	cur, _, err := b.pl.GetPipeline(t.Context(), "release", 0)
	require.NoError(t, err)
	require.Equal(t, 1, cur.Version, "nothing was saved")
}

func TestPipelineEditMissing(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	code, _ := b.get(t, "/_console/pipelines/nope/edit")
	require.Equal(t, http.StatusNotFound, code)
	noPipelines := setup(t)
	code, body := noPipelines.get(t, "/_console/pipelines/release/edit")
	require.Equal(t, http.StatusNotFound, code)
	require.Contains(t, body, "does not run the pipeline service")
}

func TestPipelineEditExistingAction(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	b.createRelease(t)
	b.waitDone(t)
	p := b.MustOpenEditor(t, "release")

	// Edit an action: the form opens with its values; a changed prefix is kept and
	// the rest of the action is left as it was.
	p = b.press(t, p, "edit-stage:1", nil)
	require.Contains(t, p.region(t, "Run workflow"), `aria-label="Edit action Invoke">Edit</button>`)
	p = b.press(t, p, "edit-action:1:0", nil)
	form := p.region(t, "Run workflow")
	require.Contains(t, form, `<option value="`+b.machineARN+`" selected>`)
	require.Contains(t, form, `<option value="Literal" selected>Literal</option>`)
	fields := tutorialAction(b.machineARN)
	fields.Set("a_prefix", "other")
	fields.Del("a_inputs")
	p = b.press(t, p, "action-done", fields)
	require.Equal(t, http.StatusOK, p.Code, p.Body)

	// A Manual approval in a new action group, with the generic configuration.
	p = b.press(t, p, "add-group:1", nil)
	p = b.press(t, p, "provider", url.Values{"a_name": {"Approve"}, "a_provider": {"Approval|AWS|Manual|1"}})
	require.Contains(t, p.Body, `>Configuration</label>`)
	require.NotContains(t, p.Body, `>State machine ARN</label>`)
	p = b.press(t, p, "action-done", url.Values{"a_name": {"Approve"}, "a_provider": {"Approval|AWS|Manual|1"},
		"a_region": {"us-east-1"}, "a_config": {"CustomData=Look at it\n"}})
	require.Equal(t, http.StatusOK, p.Code, p.Body)
	p = b.press(t, p, "save-confirm", nil)
	require.Equal(t, http.StatusSeeOther, p.Code, p.Body)

	cur, _, err := b.pl.GetPipeline(t.Context(), "release", 0)
	require.NoError(t, err)
	acts := cur.Stages[1].Actions
	require.Len(t, acts, 2)
	require.Equal(t, "other", acts[0].Configuration["ExecutionNamePrefix"])
	require.Equal(t, 1, acts[0].RunOrder)
	require.Equal(t, "Approve", acts[1].Name)
	require.Equal(t, 2, acts[1].RunOrder, "+ Add action group makes the next runOrder")
	require.Equal(t, map[string]string{"CustomData": "Look at it"}, acts[1].Configuration)
}

func TestPipelineEditFilePathNeedsArtifact(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	b.createRelease(t)
	b.waitDone(t)
	p := b.MustOpenEditor(t, "release")
	p = b.press(t, p, "add-group:1", nil)
	fields := tutorialAction(b.machineARN)
	fields.Set("a_name", "FromFile")
	fields.Set("a_inputtype", "FilePath")
	fields.Set("a_input", "")
	fields.Del("a_inputs")
	p = b.press(t, p, "action-done", fields)
	require.Equal(t, http.StatusUnprocessableEntity, p.Code)
	require.Contains(t, p.Body, `id="a_input-error">Enter the path of the input file`)
	require.Contains(t, p.Body, `id="a_inputs-error">A File path input is read from an input artifact`)
	require.Contains(t, p.Body, `id="a_inputs" name="a_inputs" multiple size="2" autofocus`, "the first field to fix has focus")
}

// BenchmarkPipelineEditPage draws the editor of a pipeline at CodePipeline's limits:
// 50 stages and 500 actions, opened and after one button.
func BenchmarkPipelineEditPage(bm *testing.B) {
	st, err := sqlite.Open(filepath.Join(bm.TempDir(), "stepline.db"))
	require.NoError(bm, err)
	svc := sfn.New(st, sfn.Config{NodeID: "bench"})
	pl := pipeline.New(st, pipeline.Config{NodeID: "bench"})
	bm.Cleanup(func() { require.NoError(bm, st.Close()) })
	p := plan.Pipeline{Name: "big", RoleARN: "arn:aws:iam::000000000000:role/p",
		ArtifactStore: &plan.ArtifactStore{Type: "S3", Location: "artifacts"},
		Stages: []plan.Stage{{Name: "Source", Actions: []plan.Action{{Name: "Fetch", ActionTypeID: s3SourceType,
			Configuration:   map[string]string{"S3Bucket": "src", "S3ObjectKey": "app.zip"},
			OutputArtifacts: []plan.OutputArtifact{{Name: "Src"}}}}}}}
	for s := 1; s < plan.MaxStages; s++ {
		stage := plan.Stage{Name: "Stage-" + strconv.Itoa(s)}
		for a := range 10 {
			stage.Actions = append(stage.Actions, plan.Action{Name: "Invoke-" + strconv.Itoa(a), ActionTypeID: sfnInvokeTyp,
				RunOrder: a%3 + 1, InputArtifacts: []plan.ArtifactName{{Name: "Src"}},
				Configuration: map[string]string{"StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:H"}})
		}
		p.Stages = append(p.Stages, stage)
	}
	p.Stages = p.Stages[:50]
	p.Stages[49].Actions = p.Stages[49].Actions[:1]
	_, err = pl.CreatePipeline(bm.Context(), p, nil)
	require.NoError(bm, err)
	c, err := web.NewConsole(web.Deps{SFN: svc, Pipelines: pl})
	require.NoError(bm, err)
	b := &pipelineBundle{testBundle: &testBundle{svc: svc, console: c}, pl: pl}
	first := newEditPage(b.get(bm, "/_console/pipelines/big/edit"))
	require.Equal(bm, http.StatusOK, first.Code)

	bm.Run("Open", func(bm *testing.B) {
		for bm.Loop() {
			code, _ := b.get(bm, "/_console/pipelines/big/edit")
			require.Equal(bm, http.StatusOK, code)
		}
	})
	bm.Run("EditAction", func(bm *testing.B) {
		form := url.Values{}
		for k, v := range first.Hidden {
			form[k] = v
		}
		form.Set("op", "edit-action:25:5")
		for bm.Loop() {
			w := b.post(bm, first.Path, form)
			require.Equal(bm, http.StatusOK, w.Code)
		}
	})
}

var formControl = regexp.MustCompile(`<(input|select|textarea) id="([^"]+)"`)

// requireLabelled checks the accessibility contract's first rule on a page: every
// form field has a visible label of its own.
func requireLabelled(t *testing.T, body string) {
	t.Helper()
	controls := formControl.FindAllStringSubmatch(body, -1)
	require.NotEmpty(t, controls)
	for _, m := range controls {
		require.Regexp(t, `<label for="`+regexp.QuoteMeta(m[2])+`">[A-Z][a-z]`, body, "the %s %s has no label", m[1], m[2])
	}
}

func TestPipelineEditCustomActionType(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	b.createRelease(t)
	b.waitDone(t)
	custom := plan.ActionTypeID{Category: "Build", Owner: "Custom", Provider: "MyBuild", Version: "1"}
	_, err := b.pl.CreateCustomActionType(t.Context(), pipeline.CustomActionType{ID: custom, MinIn: 1, MaxIn: 1,
		ConfigurationProperties: []pipeline.ConfigurationProperty{{Name: "Target", Required: true, Key: true}}})
	require.NoError(t, err)

	p := b.MustOpenEditor(t, "release")
	p = b.press(t, p, "add-group:1", nil)
	require.Contains(t, p.Body, `<option value="Build|Custom|MyBuild|1">MyBuild (Custom, version 1)</option>`)
	fields := url.Values{"a_name": {"Build"}, "a_provider": {"Build|Custom|MyBuild|1"}, "a_region": {"us-east-1"},
		"a_inputs": {"Src"}, "a_config": {"Other=1"}}
	p = b.press(t, p, "action-done", fields)
	require.Equal(t, http.StatusUnprocessableEntity, p.Code)
	require.Contains(t, p.Body, `id="a_config-error">This provider needs Target.`)
	fields.Set("a_config", "Target=prod")
	p = b.press(t, p, "action-done", fields)
	require.Equal(t, http.StatusOK, p.Code, p.Body)
	p = b.press(t, p, "save-confirm", nil)
	require.Equal(t, http.StatusSeeOther, p.Code, p.Body)
	cur, _, err := b.pl.GetPipeline(t.Context(), "release", 0)
	require.NoError(t, err)
	require.Equal(t, custom, cur.Stages[1].Actions[1].ActionTypeID)
}
