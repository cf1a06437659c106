package pipeline

import (
	"context"

	"stepline/pipeline/plan"
)

// secretMask is how GetPipeline shows secret configuration values: four asterisks, as
// the CodePipeline structure reference says. UpdatePipeline takes a masked value back
// as "keep the stored secret", so a declaration read and written back keeps it
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionConfigurationProperty.html).
const secretMask = "****"

// secretKeys returns, per action type, the configuration keys that are secret: the
// secret properties of the caller's custom action types and the no-echo properties of
// its ThirdParty ones (GitHub's OAuthToken).
func (s *Service) secretKeys(ctx context.Context) (map[plan.ActionTypeID]map[string]bool, error) {
	types, err := s.customTypes(ctx, s.identity(ctx))
	if err != nil {
		return nil, err
	}
	out := map[plan.ActionTypeID]map[string]bool{}
	for _, t := range types {
		for _, p := range t.ConfigurationProperties {
			if p.Secret {
				if out[t.ID] == nil {
					out[t.ID] = map[string]bool{}
				}
				out[t.ID][p.Name] = true
			}
		}
	}
	third, err := s.thirdPartyTypes(ctx, s.identity(ctx))
	if err != nil {
		return nil, err
	}
	for _, d := range third {
		for _, p := range d.Properties {
			if p.NoEcho {
				if out[d.ID] == nil {
					out[d.ID] = map[string]bool{}
				}
				out[d.ID][p.Name] = true
			}
		}
	}
	return out, nil
}

// maskSecrets returns p with secret configuration values masked; p is not changed.
func maskSecrets(p plan.Pipeline, secret map[plan.ActionTypeID]map[string]bool) plan.Pipeline {
	if len(secret) == 0 {
		return p
	}
	stages := make([]plan.Stage, len(p.Stages))
	for i, st := range p.Stages {
		actions := make([]plan.Action, len(st.Actions))
		for k, a := range st.Actions {
			if keys := secret[a.ActionTypeID]; len(keys) > 0 && len(a.Configuration) > 0 {
				cfg := make(map[string]string, len(a.Configuration))
				for key, v := range a.Configuration {
					if keys[key] {
						v = secretMask
					}
					cfg[key] = v
				}
				a.Configuration = cfg
			}
			actions[k] = a
		}
		st.Actions = actions
		stages[i] = st
	}
	p.Stages = stages
	return p
}

// keepSecrets puts the stored secret back wherever next carries a masked value for the
// same action and key.
func keepSecrets(next *plan.Pipeline, cur plan.Pipeline, secret map[plan.ActionTypeID]map[string]bool) {
	for i := range next.Stages {
		for k := range next.Stages[i].Actions {
			a := &next.Stages[i].Actions[k]
			keys := secret[a.ActionTypeID]
			old := findAction(cur, next.Stages[i].Name, a.Name)
			if len(keys) == 0 || old == nil {
				continue
			}
			for key, v := range a.Configuration {
				if keys[key] && (v == secretMask || v == "*****") {
					if stored, ok := old.Configuration[key]; ok {
						a.Configuration[key] = stored
					}
				}
			}
		}
	}
}
