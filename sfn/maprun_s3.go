package sfn

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"stepline"
	"stepline/jsonvalue"
	"stepline/objects"
)

// Objects is the S3 a Distributed Map reads its items from (ItemReader) and writes
// its results to (ResultWriter). Errors are *stepline.Error with S3's codes
// (NoSuchBucket, NoSuchKey, ...) for what a caller got wrong.
type Objects interface {
	GetObject(ctx context.Context, bucket, key string) ([]byte, error)
	// ListObjects returns every object under prefix, in key order.
	ListObjects(ctx context.Context, bucket, prefix string) ([]ObjectSummary, error)
	PutObject(ctx context.Context, bucket, key string, body []byte) error
}

// ObjectSummary is one object of a listing.
type ObjectSummary struct {
	Key          string
	ETag         string // without quotes
	Size         int64
	LastModified time.Time
}

// ObjectsService is Objects over stepline's own S3 (package objects).
type ObjectsService struct{ S *objects.Service }

var _ Objects = ObjectsService{}

// itemReaderMaxBytes bounds an object an ItemReader reads whole.
const itemReaderMaxBytes = 256 << 20

// GetObject reads a whole object.
func (o ObjectsService) GetObject(ctx context.Context, bucket, key string) ([]byte, error) {
	obj, err := o.S.GetObject(ctx, bucket, key, "")
	if err != nil {
		return nil, err
	}
	if obj.Size > itemReaderMaxBytes {
		return nil, fmt.Errorf("object %s/%s is larger than %d bytes", bucket, key, itemReaderMaxBytes)
	}
	rc, err := o.S.Open(ctx, obj, 0, obj.Size)
	if err != nil {
		return nil, fmt.Errorf("open %s/%s: %w", bucket, key, err)
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// ListObjects lists every object under prefix.
func (o ObjectsService) ListObjects(ctx context.Context, bucket, prefix string) ([]ObjectSummary, error) {
	var out []ObjectSummary
	after := ""
	for {
		res, err := o.S.ListObjects(ctx, objects.ListParams{Bucket: bucket, Prefix: prefix, After: after, MaxKeys: 1000})
		if err != nil {
			return nil, err
		}
		for _, ob := range res.Objects {
			out = append(out, ObjectSummary{Key: ob.Key, ETag: ob.ETag, Size: ob.Size, LastModified: ob.LastModified})
		}
		if !res.IsTruncated || res.NextMarker == "" {
			return out, nil
		}
		after = res.NextMarker
	}
}

// PutObject writes an object.
func (o ObjectsService) PutObject(ctx context.Context, bucket, key string, body []byte) error {
	_, err := o.S.PutObject(ctx, objects.PutParams{Bucket: bucket, Key: key, Body: bytes.NewReader(body),
		Size: int64(len(body)), Headers: objects.Headers{ContentType: "application/json"}})
	return err
}

// itemReaderMaxItems is ReaderConfig.MaxItems's upper bound.
const itemReaderMaxItems = 100_000_000

// readerFailure is States.ItemReaderFailed with cause.
func readerFailure(cause string) failure {
	return failure{Error: "States.ItemReaderFailed", Cause: cause}
}

// s3Cause words an S3 error as AWS's Java SDK does in task causes.
func s3Cause(err error) string {
	var e *stepline.Error
	if errors.As(err, &e) {
		status := e.Status
		if status == 0 {
			status = 400
		}
		return fmt.Sprintf("%s (Service: Amazon S3; Status Code: %d; Error Code: %s; Request ID: null; Proxy: null)",
			e.Message, status, e.Code)
	}
	return err.Error()
}

// readItems runs an ItemReader
// (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html).
func readItems(ctx context.Context, objs Objects, resource string, params, config any) ([]any, *failure) {
	if objs == nil {
		fl := readerFailure("ItemReader needs S3, and this Step Functions service has none.")
		return nil, &fl
	}
	p, _ := params.(*jsonvalue.Object)
	cfg, _ := config.(*jsonvalue.Object)
	getStr := func(o *jsonvalue.Object, k string) string {
		if o == nil {
			return ""
		}
		v, _ := o.Get(k)
		s, _ := v.(string)
		return s
	}
	maxItems := int64(0)
	if cfg != nil {
		if v, ok := cfg.Get("MaxItems"); ok {
			n, isInt := jsonvalue.Int(v)
			if !isInt || n <= 0 || n > itemReaderMaxItems {
				fl := readerFailure("field MaxItems must be positive")
				return nil, &fl
			}
			maxItems = n
		}
	}
	bucket := getStr(p, "Bucket")
	if bucket == "" {
		fl := readerFailure("The field 'Bucket' is required in the ItemReader parameters.")
		return nil, &fl
	}
	var items []any
	var fl *failure
	switch strings.TrimSuffix(resource, ".sync") {
	case "arn:aws:states:::s3:listObjectsV2":
		items, fl = listItems(ctx, objs, bucket, getStr(p, "Prefix"))
	case "arn:aws:states:::s3:getObject":
		key := getStr(p, "Key")
		if key == "" {
			f := readerFailure("The field 'Key' is required in the ItemReader parameters.")
			return nil, &f
		}
		body, err := objs.GetObject(ctx, bucket, key)
		if err != nil {
			f := readerFailure(s3Cause(err))
			return nil, &f
		}
		items, fl = parseItems(body, cfg, maxItems)
	default:
		f := readerFailure(fmt.Sprintf("The ItemReader resource '%s' is not supported.", resource))
		return nil, &f
	}
	if fl != nil {
		return nil, fl
	}
	if maxItems > 0 && int64(len(items)) > maxItems {
		items = items[:maxItems]
	}
	return items, nil
}

// listItems is listObjectsV2's items: {Etag, Key, LastModified, Size, StorageClass}.
func listItems(ctx context.Context, objs Objects, bucket, prefix string) ([]any, *failure) {
	list, err := objs.ListObjects(ctx, bucket, prefix)
	if err != nil {
		f := readerFailure(s3Cause(err))
		return nil, &f
	}
	items := make([]any, 0, len(list))
	for _, o := range list {
		items = append(items, jsonvalue.ObjectOf(
			"Etag", `"`+o.ETag+`"`, "Key", o.Key, "LastModified", json.Number(strconv.FormatInt(o.LastModified.Unix(), 10)),
			"Size", json.Number(strconv.FormatInt(o.Size, 10)), "StorageClass", "STANDARD"))
	}
	return items, nil
}

// parseItems reads a file's items as ReaderConfig.InputType says: a JSON array, JSON
// Lines, or CSV rows as objects keyed by the header.
func parseItems(body []byte, cfg *jsonvalue.Object, maxItems int64) ([]any, *failure) {
	get := func(k string) any {
		if cfg == nil {
			return nil
		}
		v, _ := cfg.Get(k)
		return v
	}
	typ, _ := get("InputType").(string)
	switch typ {
	case "", "JSON":
		v, err := jsonvalue.Parse(body)
		if err != nil {
			f := readerFailure("The content of the object is not valid JSON: " + err.Error())
			return nil, &f
		}
		if ptr, ok := get("ItemsPointer").(string); ok && ptr != "" {
			if v = jsonPointer(v, ptr); v == nil {
				f := readerFailure("The ItemsPointer '" + ptr + "' does not point to a value.")
				return nil, &f
			}
		}
		arr, ok := v.([]any)
		if !ok {
			f := readerFailure("Attempting to map over non-iterable node.")
			return nil, &f
		}
		return arr, nil
	case "JSONL":
		return parseJSONL(body, maxItems)
	case "CSV":
		return parseCSV(body, get("CSVHeaderLocation"), get("CSVHeaders"), get("CSVDelimiter"), maxItems)
	}
	f := readerFailure(fmt.Sprintf("The InputType '%v' is not supported by stepline's ItemReader.", typ))
	return nil, &f
}

// jsonPointer resolves an RFC 6901 pointer; nil when it points nowhere.
func jsonPointer(v any, ptr string) any {
	if ptr == "/" || ptr == "" {
		return v
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case *jsonvalue.Object:
			var ok bool
			if v, ok = x.Get(tok); !ok {
				return nil
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func parseJSONL(body []byte, maxItems int64) ([]any, *failure) {
	var items []any
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), itemLineMaxBytes+1)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		v, err := jsonvalue.Parse(text)
		if err != nil {
			f := readerFailure(fmt.Sprintf("Line %d of the object is not valid JSON: %v", line, err))
			return nil, &f
		}
		items = append(items, v)
		if maxItems > 0 && int64(len(items)) >= maxItems {
			break
		}
	}
	if err := sc.Err(); err != nil {
		f := readerFailure("Reading the JSON Lines object: " + err.Error())
		return nil, &f
	}
	if items == nil {
		items = []any{}
	}
	return items, nil
}

// csvDelimiters are ReaderConfig.CSVDelimiter's values.
var csvDelimiters = map[string]rune{"COMMA": ',', "PIPE": '|', "SEMICOLON": ';', "SPACE": ' ', "TAB": '\t'}

// parseCSV turns CSV rows into objects keyed by the header, every value a string.
func parseCSV(body []byte, location, given, delimiter any, maxItems int64) ([]any, *failure) {
	r := csv.NewReader(bytes.NewReader(body))
	r.FieldsPerRecord = -1
	if d, ok := delimiter.(string); ok && d != "" {
		c, known := csvDelimiters[d]
		if !known {
			f := readerFailure("The CSVDelimiter '" + d + "' is not supported.")
			return nil, &f
		}
		r.Comma = c
	}
	var headers []string
	loc, _ := location.(string)
	switch loc {
	case "", "FIRST_ROW":
		row, err := r.Read()
		if err == io.EOF {
			return []any{}, nil
		}
		if err != nil {
			f := readerFailure("The CSV object is malformed: " + err.Error())
			return nil, &f
		}
		headers = row
	case "GIVEN":
		arr, _ := given.([]any)
		for _, h := range arr {
			s, ok := h.(string)
			if !ok {
				f := readerFailure("CSVHeaders must be strings.")
				return nil, &f
			}
			headers = append(headers, s)
		}
		if len(headers) == 0 {
			f := readerFailure("CSVHeaders must be given when CSVHeaderLocation is GIVEN.")
			return nil, &f
		}
	default:
		f := readerFailure("The CSVHeaderLocation '" + loc + "' is not supported.")
		return nil, &f
	}
	seen := make(map[string]bool, len(headers))
	for _, h := range headers {
		if seen[h] {
			f := readerFailure("CSV headers cannot contain duplicates.")
			return nil, &f
		}
		seen[h] = true
	}
	var items []any
	for maxItems <= 0 || int64(len(items)) < maxItems {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			f := readerFailure("The CSV object is malformed: " + err.Error())
			return nil, &f
		}
		o := jsonvalue.NewObject(len(headers))
		for i, h := range headers {
			v := ""
			if i < len(row) {
				v = row[i]
			}
			o.Set(h, v)
		}
		items = append(items, o)
	}
	if items == nil {
		items = []any{}
	}
	return items, nil
}

// itemLineMaxBytes bounds one JSON Lines item: the payload quota.
const itemLineMaxBytes = 256 << 10
