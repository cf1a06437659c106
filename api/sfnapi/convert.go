package sfnapi

import (
	"stepline/sfn"
)

// This file translates configuration shapes between the wire (AWS casing, pointers
// for optional members) and sfn's domain types.

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// optString returns nil for "", so that empty optional members are left out.
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func loggingIn(l *LoggingConfiguration) *sfn.LoggingConfiguration {
	if l == nil {
		return nil
	}
	out := &sfn.LoggingConfiguration{Level: deref(l.Level), IncludeExecutionData: deref(l.IncludeExecutionData)}
	for _, d := range l.Destinations {
		arn := ""
		if d.CloudWatchLogsLogGroup != nil {
			arn = deref(d.CloudWatchLogsLogGroup.LogGroupArn)
		}
		out.Destinations = append(out.Destinations, arn)
	}
	return out
}

// loggingOut echoes a logging configuration as AWS does: level and
// includeExecutionData always, destinations when there are any.
func loggingOut(l sfn.LoggingConfiguration) *LoggingConfiguration {
	level := l.Level
	if level == "" {
		level = sfn.LogLevelOff
	}
	out := &LoggingConfiguration{Level: ptr(level), IncludeExecutionData: ptr(l.IncludeExecutionData)}
	for _, d := range l.Destinations {
		out.Destinations = append(out.Destinations, LogDestination{CloudWatchLogsLogGroup: &CloudWatchLogsLogGroup{LogGroupArn: ptr(d)}})
	}
	return out
}

func tracingIn(t *TracingConfiguration) *sfn.TracingConfiguration {
	if t == nil {
		return nil
	}
	return &sfn.TracingConfiguration{Enabled: deref(t.Enabled)}
}

func tracingOut(t sfn.TracingConfiguration) *TracingConfiguration {
	return &TracingConfiguration{Enabled: ptr(t.Enabled)}
}

func encryptionIn(e *EncryptionConfiguration) *sfn.EncryptionConfiguration {
	if e == nil {
		return nil
	}
	return &sfn.EncryptionConfiguration{Type: e.Type, KMSKeyID: deref(e.KmsKeyId),
		KMSDataKeyReusePeriodSeconds: int64(deref(e.KmsDataKeyReusePeriodSeconds))}
}

func encryptionOut(e *sfn.EncryptionConfiguration) *EncryptionConfiguration {
	if e == nil {
		return nil
	}
	out := &EncryptionConfiguration{Type: e.Type, KmsKeyId: optString(e.KMSKeyID)}
	if e.KMSDataKeyReusePeriodSeconds != 0 {
		out.KmsDataKeyReusePeriodSeconds = ptr(int32(e.KMSDataKeyReusePeriodSeconds))
	}
	return out
}

func tagsIn(tags []Tag) []sfn.Tag {
	out := make([]sfn.Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, sfn.Tag{Key: deref(t.Key), Value: deref(t.Value)})
	}
	return out
}

func tagsOut(tags []sfn.Tag) []Tag {
	out := make([]Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, Tag{Key: ptr(t.Key), Value: ptr(t.Value)})
	}
	return out
}

func routingIn(rs []RoutingConfigurationListItem) []sfn.RoutingEntry {
	if rs == nil {
		return nil
	}
	out := make([]sfn.RoutingEntry, 0, len(rs))
	for _, r := range rs {
		out = append(out, sfn.RoutingEntry{VersionARN: r.StateMachineVersionArn, Weight: int(r.Weight)})
	}
	return out
}

func routingOut(rs []sfn.RoutingEntry) []RoutingConfigurationListItem {
	out := make([]RoutingConfigurationListItem, 0, len(rs))
	for _, r := range rs {
		out = append(out, RoutingConfigurationListItem{StateMachineVersionArn: r.VersionARN, Weight: int32(r.Weight)})
	}
	return out
}

// page turns the wire's paging members into sfn's.
func page(maxResults *int32, nextToken *string) sfn.Page {
	return sfn.Page{Max: int(deref(maxResults)), NextToken: deref(nextToken)}
}
