package kg

import (
	"errors"
	"strings"
	"testing"
)

func TestParseClaimStatus(t *testing.T) {
	tests := []struct {
		in      string
		want    ClaimStatus
		wantErr bool
	}{
		{"ASSERTED", StatusAsserted, false},
		{" planned ", StatusPlanned, false},
		{"Reported", StatusReported, false},
		{"OPINION", StatusOpinion, false},
		{"", "", true},
		{"FACT", "", true},
		{"ASSERTED,", "", true},
	}
	for _, tt := range tests {
		got, err := ParseClaimStatus(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseClaimStatus(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && (ErrorCode(err) != CodeInvalid || !strings.Contains(err.Error(), "want ASSERTED, REPORTED, PLANNED or OPINION")) {
			t.Errorf("ParseClaimStatus(%q) error = %v (%s); want an INVALID error listing the statuses", tt.in, err, ErrorCode(err))
		}
	}
}

func TestStrongestStatus(t *testing.T) {
	ev := func(ss ...ClaimStatus) []Evidence {
		var out []Evidence
		for _, s := range ss {
			out = append(out, Evidence{SourceID: "s", Quote: "q", Status: s})
		}
		return out
	}
	tests := []struct {
		name string
		evs  []Evidence
		want ClaimStatus
	}{
		{"none", nil, ""},
		{"empty status is asserted", ev(""), StatusAsserted},
		{"asserted beats reported", ev(StatusReported, StatusAsserted), StatusAsserted},
		{"reported beats planned", ev(StatusPlanned, StatusReported), StatusReported},
		{"planned beats opinion", ev(StatusOpinion, StatusPlanned), StatusPlanned},
		{"opinion alone", ev(StatusOpinion, StatusOpinion), StatusOpinion},
	}
	for _, tt := range tests {
		if got := StrongestStatus(tt.evs); got != tt.want {
			t.Errorf("%s: StrongestStatus = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestStatusOf(t *testing.T) {
	planned := []Evidence{{SourceID: "s", Quote: "q", Status: StatusPlanned}}
	tests := []struct {
		name string
		s    ClaimStatus
		evs  []Evidence
		want ClaimStatus
	}{
		{"stored status wins", StatusReported, planned, StatusReported},
		{"none stored: the evidence's", "", planned, StatusPlanned},
		{"invalid stored: the evidence's", "MAYBE", planned, StatusPlanned},
		{"nothing at all: asserted", "", nil, StatusAsserted},
	}
	for _, tt := range tests {
		if got := StatusOf(tt.s, tt.evs); got != tt.want {
			t.Errorf("%s: StatusOf = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestAllStatuses(t *testing.T) {
	if !AllStatuses(nil) || !AllStatuses([]ClaimStatus{StatusOpinion, StatusPlanned, StatusReported, StatusAsserted}) {
		t.Error("no filter, or every status, must keep everything")
	}
	if AllStatuses([]ClaimStatus{StatusAsserted, StatusReported}) {
		t.Error("a filter of two statuses keeps everything")
	}
}

func TestEvidenceValidateClaim(t *testing.T) {
	tests := []struct {
		ev    Evidence
		field string // "" for valid
	}{
		{Evidence{SourceID: "s1", Quote: "q"}, ""},
		{Evidence{SourceID: "s1", Quote: "q", Status: StatusOpinion, AttributedTo: "lui-tai-lok"}, ""},
		{Evidence{SourceID: "s1", Quote: "q", Status: "RUMOUR"}, "evidence.status"},
		{Evidence{SourceID: "s1", Quote: "q", AttributedTo: "South China Morning Post"}, "evidence.attributedTo"},
		{Evidence{SourceID: "s1", Quote: "a\u001fb"}, "evidence.quote"},
	}
	for _, tt := range tests {
		err := tt.ev.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%+v: %v", tt.ev, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Field != tt.field {
			t.Errorf("%+v: error %v, want one on %s", tt.ev, err, tt.field)
		}
	}
}
