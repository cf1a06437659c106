package web

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"stepline"
)

const fuzzDraft = `{"name":"p","roleArn":"arn:aws:iam::000000000000:role/p","artifactStore":{"type":"S3","location":"a"},"stages":[` +
	`{"name":"Source","actions":[{"name":"Fetch","actionTypeId":{"category":"Source","owner":"AWS","provider":"S3","version":"1"},` +
	`"configuration":{"S3Bucket":"b","S3ObjectKey":"k"},"outputArtifacts":[{"name":"Src"}]}]},` +
	`{"name":"Run","actions":[{"name":"Invoke","actionTypeId":{"category":"Invoke","owner":"AWS","provider":"StepFunctions","version":"1"},` +
	`"configuration":{"StateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:H"}}]}],"version":1}`

// FuzzEditForm feeds arbitrary posted editor forms and service messages to the
// editor's state machine: it may refuse a form, but never panic, and whatever it
// accepts it can draw again.
func FuzzEditForm(f *testing.F) {
	f.Add(fuzzDraft, "edit-stage:1", "", "", "", "", "", "")
	f.Add(fuzzDraft, "delete-stage:1", "1", "", "", "", "", "")
	f.Add(fuzzDraft, "add-stage", "", "", "", "", "", "Invoke")
	f.Add(fuzzDraft, "action-done", "1", "1:0:1", "Invoke", "Invoke|AWS|StepFunctions|1", "Src", "x")
	f.Add(fuzzDraft, "action-done", "1", "1:-1:2", "Second", "Build|AWS|CodeBuild|1", "Src", "ProjectName=x\nbad")
	f.Add(fuzzDraft, "enter", "0", "0:0:1", "", "Source|AWS|S3|1", "Nope", "")
	f.Add(fuzzDraft, "add-action:1:0", "-1", "", "", "", "", "")
	f.Add(`{"name":"p","stages":[{"name":"A","actions":[]}]}`, "delete-action:0:0", "0", "", "", "", "", "")
	f.Add(`{"name":"p","stages":null}`, "add-group:0", "", "", "", "", "", "")
	f.Add(fuzzDraft, "action-cancel", "", "", "", "", "", "")
	f.Add(fuzzDraft, "action-done", "", "", "", "", "", "")
	f.Add(fuzzDraft, "save-cancel", "0", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, draft, op, editing, action, name, provider, inputs, text string) {
		form := url.Values{"draft": {draft}, "editing": {editing}, "region": {"us-east-1"}, "stage_name": {text},
			"a_name": {name}, "a_provider": {provider}, "a_inputs": {inputs}, "a_config": {text}, "a_input": {text},
			"a_inputtype": {"Literal"}, "a_outputs": {text}, "a_sm": {text}}
		if action != "" {
			parts := append(strings.SplitN(action, ":", 3), "", "")
			form.Set("a_open", "1")
			form.Set("a_stage", parts[0])
			form.Set("a_index", parts[1])
			form.Set("a_order", parts[2])
		}
		st, err := readEditState(form)
		if err != nil {
			return
		}
		errs := newEditErrors()
		if err := applyEditOp(st, op, form, errs); err != nil {
			return
		}
		placeSaveError(st, stepline.Errorf("InvalidActionDeclarationException", "%s", text), errs)
		if st.Action != nil {
			require.Less(t, st.Action.Stage, len(st.Draft.Stages))
			_ = availableArtifacts(st, st.Action)
		}
		require.Less(t, st.Editing, len(st.Draft.Stages))
	})
}
