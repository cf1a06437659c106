package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline/pipeline/plan"
)

// newPipelineForm is a valid create form: an S3 source and a Step Functions stage.
func newPipelineForm(name, machine string) url.Values {
	return url.Values{"with": {"form"}, "name": {name}, "type": {"V2"}, "artifacts": {"artifacts"},
		"source": {"S3"}, "bucket": {"src"}, "key": {"app.zip"},
		"stage": {"Invoke"}, "provider": {"StepFunctions"}, "statemachine": {machine}, "prefix": {"my-prefix"}, "input": {`{"a":1}`}}
}

func TestPipelineCreateForm(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)

	code, body := b.get(t, "/_console/new/pipeline")
	require.Equal(t, http.StatusOK, code)
	for _, label := range []string{
		`<label for="name">Pipeline name</label>`, `<label for="type">Pipeline type`, `<label for="bucket">Bucket</label>`,
		`<label for="key">S3 object key</label>`, `<label for="repository">Repository name</label>`,
		`<label for="branch">Branch name</label>`, `<label for="stage">Stage name</label>`,
		`<label for="statemachine">State machine ARN</label>`,
	} {
		require.Contains(t, body, label)
	}
	require.Contains(t, body, `<option value="`+b.machineARN+`">Hello</option>`, "state machines to choose from")

	t.Run("MissingFieldsShownBesideEachField", func(t *testing.T) {
		f := newPipelineForm("", "")
		f.Set("bucket", "")
		w := b.post(t, "/_console/new/pipeline", f)
		require.Equal(t, http.StatusBadRequest, w.Code)
		page := w.Body.String()
		for _, pair := range [][2]string{
			{`id="name"`, "Enter a pipeline name"}, {`id="bucket"`, "Enter the bucket"}, {`id="statemachine"`, "Choose or enter the state machine ARN"},
		} {
			i := strings.Index(page, pair[0])
			require.Positive(t, i, pair[0])
			require.Contains(t, page[i:i+700], pair[1], "the error follows its field")
		}
		list, _, err := b.pl.ListPipelines(t.Context(), "", 100)
		require.NoError(t, err)
		require.Empty(t, list, "nothing was created")
	})
	t.Run("OneStageIsTheServicesError", func(t *testing.T) {
		f := newPipelineForm("single", "")
		f.Set("stage", "")
		w := b.post(t, "/_console/new/pipeline", f)
		require.Equal(t, http.StatusBadRequest, w.Code)
		page := w.Body.String()
		i := strings.Index(page, `id="stage"`)
		require.Positive(t, i)
		require.Contains(t, page[i:i+700], `class="field-error" role="alert"`)
	})

	w := b.post(t, "/_console/new/pipeline", newPipelineForm("from-form", b.machineARN))
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	require.Equal(t, "/_console/pipelines/from-form?done=created", w.Header().Get("Location"))
	p, _, err := b.pl.GetPipeline(t.Context(), "from-form", 0)
	require.NoError(t, err)
	require.Equal(t, "V2", p.PipelineType)
	require.Equal(t, "app.zip", p.Stages[0].Actions[0].Configuration["S3ObjectKey"])
	require.Equal(t, "my-prefix", p.Stages[1].Actions[0].Configuration["ExecutionNamePrefix"])
	execs, _, err := b.pl.Executions(t.Context(), "from-form")
	require.NoError(t, err)
	require.Len(t, execs, 1, "creating a pipeline starts an execution")
	require.Equal(t, "CreatePipeline", execs[0].Trigger.Type)

	w = b.post(t, "/_console/new/pipeline", newPipelineForm("from-form", b.machineARN))
	require.Equal(t, http.StatusBadRequest, w.Code)
	page := w.Body.String()
	i := strings.Index(page, `id="name"`)
	require.Contains(t, page[i:i+700], "already exists")
}

func TestPipelineCreateJSON(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	code, body := b.get(t, "/_console/new/pipeline?with=json")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<label for="declaration">Pipeline structure (JSON)</label>`)

	for text, msg := range map[string]string{
		"":                            "Enter the pipeline declaration",
		`{"name": "x",`:               "ends too early",
		"{\n  \"name\": \"x\"\n  }}":  "Line 3, column 4:",
		`{"name": "x", "stagez": []}`: `unknown field "stagez"`,
		`{"name": 5}`:                 "name must be a string",
		`{"pipeline": {"name": "x"}, "extra": 1}`:                                    `Unknown field "extra"`,
		`{"name": "x", "roleArn": "arn:aws:iam::000000000000:role/p", "stages": []}`: "artifactStore",
	} {
		w := b.post(t, "/_console/new/pipeline", url.Values{"with": {"json"}, "declaration": {text}})
		require.Equal(t, http.StatusBadRequest, w.Code, text)
		page := w.Body.String()
		i := strings.Index(page, `id="declaration"`)
		require.Positive(t, i)
		require.Regexp(t, `id="declaration-error" role="alert">[^<]*`+regexpQuote(msg), page[i:], text)
	}

	// A create-pipeline --cli-input-json document works as it is.
	w := b.post(t, "/_console/new/pipeline", url.Values{"with": {"json"}, "declaration": {`{"pipeline": ` + twoStageJSON("pasted") + `, "tags": []}`}})
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	_, _, err := b.pl.GetPipeline(t.Context(), "pasted", 0)
	require.NoError(t, err)
}

func twoStageJSON(name string) string {
	return `{"name": "` + name + `", "roleArn": "arn:aws:iam::000000000000:role/p",
  "artifactStore": {"type": "S3", "location": "artifacts"},
  "stages": [
    {"name": "Source", "actions": [{"name": "Fetch", "actionTypeId": {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"},
      "configuration": {"S3Bucket": "src", "S3ObjectKey": "app.zip"}, "outputArtifacts": [{"name": "Src"}]}]},
    {"name": "Run", "actions": [{"name": "Invoke", "actionTypeId": {"category": "Invoke", "owner": "AWS", "provider": "StepFunctions", "version": "1"},
      "configuration": {"StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:Hello"}}]}
  ]}`
}

func TestPipelineEditJSON(t *testing.T) {
	t.Parallel()
	b := setupPipelines(t)
	b.createRelease(t)
	b.waitDone(t)

	_, body := b.get(t, "/_console/pipelines/release")
	require.Contains(t, body, `<h2 id="json-title">Pipeline structure (JSON)</h2>`)
	require.Contains(t, body, `&#34;name&#34;: &#34;release&#34;`)
	require.Contains(t, body, `href="/_console/pipelines/release/json">Edit JSON</a>`)

	code, body := b.get(t, "/_console/pipelines/release/json")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `<label for="declaration">Pipeline structure (JSON)</label>`)

	w := b.post(t, "/_console/pipelines/release/json", url.Values{"declaration": {twoStageJSON("renamed")}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Contains(t, w.Body.String(), "cannot change")
	require.Contains(t, w.Body.String(), "renamed", "what was typed is kept")

	bad := strings.Replace(twoStageJSON("release"), `"Run"`, `"Source"`, 1)
	w = b.post(t, "/_console/pipelines/release/json", url.Values{"declaration": {bad}})
	require.Equal(t, http.StatusBadRequest, w.Code)
	require.Regexp(t, `id="declaration-error" role="alert">[^<]+`, w.Body.String())

	w = b.post(t, "/_console/pipelines/release/json", url.Values{"declaration": {twoStageJSON("release")}})
	require.Equal(t, http.StatusSeeOther, w.Code, w.Body.String())
	p, _, err := b.pl.GetPipeline(t.Context(), "release", 0)
	require.NoError(t, err)
	require.Equal(t, 2, p.Version)
	require.Equal(t, "Invoke", p.Stages[1].Actions[0].Name)
	require.Equal(t, plan.CategoryInvoke, p.Stages[1].Actions[0].ActionTypeID.Category)
	_, body = b.get(t, w.Header().Get("Location"))
	require.Contains(t, body, "Pipeline updated")
}

func regexpQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `.`, `\.`, `(`, `\(`, `)`, `\)`, `[`, `\[`, `]`, `\]`, `{`, `\{`, `}`, `\}`, `*`, `\*`, `+`, `\+`, `?`, `\?`, `|`, `\|`, `^`, `\^`, `$`, `\$`)
	return r.Replace(strings.ReplaceAll(s, `"`, "&#34;"))
}
