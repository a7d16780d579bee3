package kg

import (
	"testing"
	"time"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseDate(t *testing.T) {
	tests := []struct {
		in        string
		want      Date
		wantStr   string
		wantError bool
	}{
		{in: "2019", want: Date{Year: 2019, Precision: PrecisionYear}, wantStr: "2019"},
		{in: "2019-05", want: Date{Year: 2019, Month: 5, Precision: PrecisionMonth}, wantStr: "2019-05"},
		{in: "2019-05-21", want: Date{Year: 2019, Month: 5, Day: 21, Precision: PrecisionDay}, wantStr: "2019-05-21"},
		{in: "  2022-07-07 ", want: Date{Year: 2022, Month: 7, Day: 7, Precision: PrecisionDay}, wantStr: "2022-07-07"},
		{in: "2020-02-29", want: Date{Year: 2020, Month: 2, Day: 29, Precision: PrecisionDay}, wantStr: "2020-02-29"},
		{in: "2019-12-31", want: Date{Year: 2019, Month: 12, Day: 31, Precision: PrecisionDay}, wantStr: "2019-12-31"},
		{in: "1000", want: Date{Year: 1000, Precision: PrecisionYear}, wantStr: "1000"},

		{in: "", wantError: true},
		{in: "19", wantError: true},
		{in: "0999", wantError: true},
		{in: "20190", wantError: true},
		{in: "2019-02-30", wantError: true},
		{in: "2019-02-29", wantError: true},
		{in: "2019-04-31", wantError: true},
		{in: "2019-13", wantError: true},
		{in: "2019-00", wantError: true},
		{in: "2019-05-00", wantError: true},
		{in: "2019-05-32", wantError: true},
		{in: "2019-5", wantError: true},
		{in: "2019-05-1", wantError: true},
		{in: "2019-", wantError: true},
		{in: "2019--05", wantError: true},
		{in: "2019-05-21-01", wantError: true},
		{in: "2019/05/21", wantError: true},
		{in: "21-05-2019", wantError: true},
		{in: "May 2019", wantError: true},
		{in: "2019-1a", wantError: true},
		{in: "-2019", wantError: true},
		{in: "+201", wantError: true},
		{in: "2019-+1", wantError: true},
		{in: "2019-05-+1", wantError: true},
		{in: "2019-05-21T00:00:00Z", wantError: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in)
			if tt.wantError {
				if err == nil {
					t.Fatalf("ParseDate(%q) = %+v, want an error", tt.in, got)
				}
				if code := ErrorCode(err); code != CodeInvalid {
					t.Errorf("error code = %s, want %s", code, CodeInvalid)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseDate(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseDate(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
			if s := got.String(); s != tt.wantStr {
				t.Errorf("String() = %q, want %q", s, tt.wantStr)
			}
			// The text form parses back to the same date.
			again, err := ParseDate(got.String())
			if err != nil || again != got {
				t.Errorf("round trip of %q: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestMustParseDatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustParseDate(\"2019-02-30\") did not panic")
		}
	}()
	MustParseDate("2019-02-30")
}

func TestDateStartEnd(t *testing.T) {
	tests := []struct {
		in         string
		start, end time.Time
	}{
		{"2019", day(2019, 1, 1), day(2019, 12, 31)},
		{"2019-02", day(2019, 2, 1), day(2019, 2, 28)},
		{"2020-02", day(2020, 2, 1), day(2020, 2, 29)},
		{"2019-12", day(2019, 12, 1), day(2019, 12, 31)},
		{"2019-04", day(2019, 4, 1), day(2019, 4, 30)},
		{"2019-05-21", day(2019, 5, 21), day(2019, 5, 21)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d := MustParseDate(tt.in)
			if got := d.Start(); !got.Equal(tt.start) {
				t.Errorf("Start() = %s, want %s", got.Format(time.DateOnly), tt.start.Format(time.DateOnly))
			}
			if got := d.End(); !got.Equal(tt.end) {
				t.Errorf("End() = %s, want %s", got.Format(time.DateOnly), tt.end.Format(time.DateOnly))
			}
		})
	}
}

func TestValidOn(t *testing.T) {
	d := func(s string) *Date { x := MustParseDate(s); return &x }
	tests := []struct {
		name         string
		since, until *Date
		on           time.Time
		want         bool
	}{
		{"open both ends", nil, nil, day(1999, 1, 1), true},
		{"year since covers its first day", d("2019"), nil, day(2019, 1, 1), true},
		{"year since covers mid year", d("2019"), nil, day(2019, 6, 15), true},
		{"before year since", d("2019"), nil, day(2018, 12, 31), false},
		{"year until covers its last day", nil, d("2019"), day(2019, 12, 31), true},
		{"after year until", nil, d("2019"), day(2020, 1, 1), false},
		{"month until covers the month's end", nil, d("2019-02"), day(2019, 2, 28), true},
		{"after month until", nil, d("2019-02"), day(2019, 3, 1), false},
		{"day since exact", d("2019-05-21"), nil, day(2019, 5, 21), true},
		{"day before day since", d("2019-05-21"), nil, day(2019, 5, 20), false},
		{"inside closed period", d("2018"), d("2019"), day(2019, 3, 3), true},
		{"before closed period", d("2018"), d("2019"), day(2017, 12, 31), false},
		{"after closed period", d("2018"), d("2019"), day(2020, 1, 1), false},
		{"single day period", d("2018-05-15"), d("2018-05-15"), day(2018, 5, 15), true},
		{"day after single day period", d("2018-05-15"), d("2018-05-15"), day(2018, 5, 16), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidOn(tt.since, tt.until, tt.on); got != tt.want {
				t.Errorf("ValidOn(%v, %v, %s) = %v, want %v", tt.since, tt.until, tt.on.Format(time.DateOnly), got, tt.want)
			}
		})
	}
}
