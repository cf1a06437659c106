package web

import (
	"net/http"

	"stepline/sfn"
)

// activityList shows a page of activities.
func (c *Console) activityList(w http.ResponseWriter, r *http.Request) error {
	next := r.URL.Query().Get("next")
	acts, token, err := c.deps.SFN.ActivityList(r.Context(), sfn.Page{Max: listPageSize, NextToken: next})
	if err != nil {
		return err
	}
	return c.render(w, 0, "activities", view{
		Title: "Activities", Nav: "activities",
		Crumbs: []crumb{{Text: "Step Functions"}, {Text: "Activities"}},
		Body: struct {
			Activities []sfn.Activity
			Next       string
			Paged      bool
			Query      string // kept in the pager's links
		}{acts, token, next != "", ""},
	})
}
