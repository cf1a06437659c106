package codecommitapi_test

import "stepline/repos"

func repoParams(name string) repos.CreateRepositoryParams {
	return repos.CreateRepositoryParams{Name: name}
}
