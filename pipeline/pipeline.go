package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"stepline"
	"stepline/pipeline/plan"
	"stepline/store"
)

// Record kinds this service keeps.
const (
	kindPipeline = "pipeline"
	kindVersion  = "pipelineversion"
)

// Tag is a resource tag.
type Tag struct{ Key, Value string }

// Metadata is what GetPipeline reports beside the declaration.
type Metadata struct {
	PipelineARN string
	Created     time.Time
	Updated     time.Time
}

// Summary is one entry of ListPipelines.
type Summary struct {
	Name          string
	Version       int
	PipelineType  string
	ExecutionMode string
	Created       time.Time
	Updated       time.Time
}

// pipelineDoc is the stored pipeline record: which version is current and where its
// executions live.
type pipelineDoc struct {
	Name       string    `json:"name"`
	Version    int       `json:"version"`
	Created    time.Time `json:"created"`
	Updated    time.Time `json:"updated"`
	RuntimeARN string    `json:"runtimeArn"`
	Tags       []Tag     `json:"tags,omitempty"`
	Account    string    `json:"account"`
	Region     string    `json:"region"`
	Partition  string    `json:"partition"`
	// Current is the current version's declaration. The pipeline record is the one
	// place a new version is committed (under its optimistic guard); version records
	// are copies kept for GetPipeline of older versions, written after the commit.
	Current json.RawMessage `json:"current"`
}

func pipelineARN(id stepline.Identity, name string) string {
	return fmt.Sprintf("arn:%s:codepipeline:%s:%s:%s", id.Partition, id.Region, id.Account, name)
}

func (d pipelineDoc) identity() stepline.Identity {
	return stepline.Identity{Partition: d.Partition, Region: d.Region, Account: d.Account}
}

func (d pipelineDoc) arn() string { return pipelineARN(d.identity(), d.Name) }

// versionKey names a version copy by the pipeline's incarnation (its runtime ARN), so
// a pipeline deleted and created again under the same name never sees the old copies.
func versionKey(runtimeARN string, v int) string { return fmt.Sprintf("%s#%06d", runtimeARN, v) }

// pipelineNotFound is AWS's PipelineNotFoundException text.
func pipelineNotFound(account, name string) *stepline.Error {
	return stepline.Errorf("PipelineNotFoundException", "Account '%s' does not have a pipeline with name '%s'", account, name)
}

func nameInUse(name string) *stepline.Error {
	return stepline.Errorf("PipelineNameInUseException", "A pipeline with name '%s' already exists", name)
}

// CreatePipeline validates a declaration, stores it as version 1 and starts the
// pipeline's first execution, as CodePipeline does
// (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_CreatePipeline.html).
func (s *Service) CreatePipeline(ctx context.Context, p plan.Pipeline, tags []Tag) (plan.Pipeline, error) {
	p.Version = 1
	if len(tags) > MaxTags {
		return plan.Pipeline{}, stepline.Errorf("TooManyTagsException", "Tag limit exceeded")
	}
	for _, t := range tags {
		if strings.HasPrefix(t.Key, "aws:") {
			return plan.Pipeline{}, stepline.Errorf("InvalidTagsException", "Not allowed to modify system tags. System tags start with 'aws:'. msg=[Caller is an end user and not allowed to mutate system tags]")
		}
	}
	custom, err := s.customLookup(ctx)
	if err != nil {
		return plan.Pipeline{}, err
	}
	if err := plan.ValidateWith(&p, custom); err != nil {
		return plan.Pipeline{}, err
	}
	if err := plan.ValidateRegions(&p, s.identity(ctx).Region); err != nil {
		return plan.Pipeline{}, err
	}
	plan.Normalize(&p)
	id := s.identity(ctx)
	arn := pipelineARN(id, p.Name)
	now := s.cfg.Clock.Now()
	doc := pipelineDoc{
		Name: p.Name, Version: 1, Created: now, Updated: now, Tags: tags,
		RuntimeARN: arn + "/runtime/" + s.cfg.NewID(), Account: id.Account, Region: id.Region, Partition: id.Partition,
	}
	if _, err := s.store.RecordGet(ctx, kindPipeline, arn); err == nil {
		return plan.Pipeline{}, nameInUse(p.Name)
	}
	cur, err := json.Marshal(p)
	if err != nil {
		return plan.Pipeline{}, fmt.Errorf("encode pipeline: %w", err)
	}
	doc.Current = cur
	// The runtime row exists before the pipeline record, so a reader that finds the
	// record always finds its runtime.
	if err := s.createRuntime(ctx, doc); err != nil {
		return plan.Pipeline{}, err
	}
	data, _ := json.Marshal(doc)
	_, err = s.store.RecordPut(ctx, store.Record{Kind: kindPipeline, Key: arn, Parent: id.Account + "/" + id.Region, Sort: p.Name, Data: data})
	if errors.Is(err, store.ErrExists) {
		return plan.Pipeline{}, nameInUse(p.Name)
	}
	if err != nil {
		return plan.Pipeline{}, fmt.Errorf("create pipeline %s: %w", p.Name, err)
	}
	s.keepVersion(ctx, doc.RuntimeARN, 1, cur)
	if _, err := s.start(ctx, arn, plan.ExecTrigger{Type: "CreatePipeline", Detail: id.Account}, nil); err != nil {
		return plan.Pipeline{}, err
	}
	secret, err := s.secretKeys(ctx)
	if err != nil {
		return plan.Pipeline{}, err
	}
	return maskSecrets(p, secret), nil
}

// keepVersion stores a committed version's copy for GetPipeline by version. Versions
// never change once committed, so an existing copy is left alone, and a copy lost to a
// crash is written again by the next update (which keeps the version it replaces).
func (s *Service) keepVersion(ctx context.Context, runtimeARN string, version int, data []byte) {
	_, err := s.store.RecordPut(ctx, store.Record{Kind: kindVersion, Key: versionKey(runtimeARN, version), Parent: runtimeARN, Sort: fmt.Sprintf("%06d", version), Data: data})
	if err != nil && !errors.Is(err, store.ErrExists) {
		s.cfg.Logger.Warn("keep pipeline version", "pipeline", runtimeARN, "version", version, "err", err)
	}
}

func (s *Service) loadDoc(ctx context.Context, arn string) (pipelineDoc, store.Record, error) {
	rec, err := s.store.RecordGet(ctx, kindPipeline, arn)
	if err != nil {
		return pipelineDoc{}, rec, err
	}
	var doc pipelineDoc
	if err := json.Unmarshal(rec.Data, &doc); err != nil {
		return doc, rec, fmt.Errorf("decode pipeline %s: %w", arn, err)
	}
	return doc, rec, nil
}

// load returns a pipeline's record and its declaration at version (0: current).
func (s *Service) load(ctx context.Context, name string, version int) (pipelineDoc, store.Record, plan.Pipeline, error) {
	id := s.identity(ctx)
	arn := pipelineARN(id, name)
	doc, rec, err := s.loadDoc(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return doc, rec, plan.Pipeline{}, pipelineNotFound(id.Account, name)
	}
	if err != nil {
		return doc, rec, plan.Pipeline{}, err
	}
	if version == 0 {
		version = doc.Version
	}
	if version > doc.Version {
		return doc, rec, plan.Pipeline{}, stepline.Errorf("PipelineVersionNotFoundException", "Pipeline version '%d' of pipeline '%s' does not exist", version, name)
	}
	p, err := s.declaration(ctx, doc, version)
	if errors.Is(err, store.ErrNotFound) {
		return doc, rec, p, stepline.Errorf("PipelineVersionNotFoundException", "Pipeline version '%d' of pipeline '%s' does not exist", version, name)
	}
	return doc, rec, p, err
}

// declaration returns a version of the pipeline doc describes. Versions up to the
// current one never change, so they are cached, keyed by the pipeline's incarnation
// (its runtime ARN) so a pipeline deleted and created again under the same name does
// not see the old one's versions.
func (s *Service) declaration(ctx context.Context, doc pipelineDoc, version int) (plan.Pipeline, error) {
	key := doc.RuntimeARN + "#" + strconv.Itoa(version)
	if p, ok := s.versions.Load(key); ok {
		return p.(plan.Pipeline), nil
	}
	var p plan.Pipeline
	var err error
	if version == doc.Version && len(doc.Current) > 0 {
		err = json.Unmarshal(doc.Current, &p)
	} else {
		p, err = s.loadVersion(ctx, doc.RuntimeARN, version)
	}
	if err != nil {
		return p, err
	}
	if version <= doc.Version {
		s.versions.Store(key, p)
	}
	return p, nil
}

func (s *Service) loadVersion(ctx context.Context, runtimeARN string, version int) (plan.Pipeline, error) {
	vr, err := s.store.RecordGet(ctx, kindVersion, versionKey(runtimeARN, version))
	if err != nil {
		return plan.Pipeline{}, err
	}
	var p plan.Pipeline
	if err := json.Unmarshal(vr.Data, &p); err != nil {
		return p, fmt.Errorf("decode pipeline version: %w", err)
	}
	return p, nil
}

// GetPipeline returns a pipeline declaration at a version (0: the current one).
func (s *Service) GetPipeline(ctx context.Context, name string, version int) (plan.Pipeline, Metadata, error) {
	doc, rec, p, err := s.load(ctx, name, version)
	if err != nil {
		return p, Metadata{}, err
	}
	secret, err := s.secretKeys(ctx)
	if err != nil {
		return p, Metadata{}, err
	}
	return maskSecrets(p, secret), Metadata{PipelineARN: rec.Key, Created: doc.Created, Updated: doc.Updated}, nil
}

// UpdatePipeline replaces a pipeline's declaration with a new version. Executions in
// flight end Cancelled, as the PipelineExecutionStatus documentation says.
func (s *Service) UpdatePipeline(ctx context.Context, p plan.Pipeline) (plan.Pipeline, error) {
	for {
		doc, rec, cur, err := s.load(ctx, p.Name, 0)
		if err != nil {
			return plan.Pipeline{}, err
		}
		secret, err := s.secretKeys(ctx)
		if err != nil {
			return plan.Pipeline{}, err
		}
		keepSecrets(&p, cur, secret)
		p.Version = doc.Version + 1
		custom, err := s.customLookup(ctx)
		if err != nil {
			return plan.Pipeline{}, err
		}
		if err := plan.ValidateWith(&p, custom); err != nil {
			return plan.Pipeline{}, err
		}
		if err := plan.ValidateRegions(&p, doc.Region); err != nil {
			return plan.Pipeline{}, err
		}
		plan.Normalize(&p)
		next, err := json.Marshal(p)
		if err != nil {
			return plan.Pipeline{}, fmt.Errorf("encode pipeline: %w", err)
		}
		s.keepVersion(ctx, doc.RuntimeARN, doc.Version, doc.Current)
		doc.Version, doc.Current = p.Version, next
		doc.Updated = s.cfg.Clock.Now()
		rec.Data, _ = json.Marshal(doc)
		_, err = s.store.RecordPut(ctx, rec)
		if errors.Is(err, store.ErrConflict) {
			continue
		}
		if err != nil {
			return plan.Pipeline{}, fmt.Errorf("update pipeline %s: %w", p.Name, err)
		}
		s.keepVersion(ctx, doc.RuntimeARN, p.Version, next)
		if err := s.apply(ctx, rec.Key, plan.Event{Kind: plan.EventCancel}); err != nil {
			return plan.Pipeline{}, err
		}
		return maskSecrets(p, secret), nil
	}
}

// DeletePipeline deletes a pipeline, cancelling its executions. Deleting a pipeline
// that does not exist succeeds, as on AWS.
func (s *Service) DeletePipeline(ctx context.Context, name string) error {
	arn := pipelineARN(s.identity(ctx), name)
	doc, rec, err := s.loadDoc(ctx, arn)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.apply(ctx, arn, plan.Event{Kind: plan.EventCancel}); err != nil {
		return err
	}
	if err := s.store.RecordDelete(ctx, kindPipeline, arn, rec.Version); err != nil && !errors.Is(err, store.ErrNotFound) {
		return stepline.Errorf("ConcurrentModificationException", "The pipeline was modified concurrently")
	}
	for v := 1; v <= doc.Version; v++ {
		_ = s.store.RecordDelete(ctx, kindVersion, versionKey(doc.RuntimeARN, v), 0)
	}
	return s.deleteArchive(ctx, doc.RuntimeARN)
}

// ListPipelines lists the caller's pipelines by name, at most max (0: all) after the
// name after.
func (s *Service) ListPipelines(ctx context.Context, after string, max int) ([]Summary, bool, error) {
	id := s.identity(ctx)
	lp := store.RecordListParams{Kind: kindPipeline, Parent: id.Account + "/" + id.Region, AfterSort: after}
	if after != "" {
		lp.AfterKey = pipelineARN(id, after)
	}
	if max > 0 {
		lp.Limit = max + 1
	}
	recs, err := s.store.RecordList(ctx, lp)
	if err != nil {
		return nil, false, fmt.Errorf("list pipelines: %w", err)
	}
	more := max > 0 && len(recs) > max
	if more {
		recs = recs[:max]
	}
	out := make([]Summary, 0, len(recs))
	for _, rec := range recs {
		var doc pipelineDoc
		if err := json.Unmarshal(rec.Data, &doc); err != nil {
			return nil, false, fmt.Errorf("decode pipeline: %w", err)
		}
		p, err := s.declaration(ctx, doc, doc.Version)
		if err != nil {
			return nil, false, fmt.Errorf("load pipeline %s: %w", doc.Name, err)
		}
		out = append(out, Summary{Name: doc.Name, Version: doc.Version, PipelineType: p.Type(), ExecutionMode: p.Mode(), Created: doc.Created, Updated: doc.Updated})
	}
	return out, more, nil
}
