package kg

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision is how much of a Date is known.
type Precision string

// Date precisions.
const (
	PrecisionYear  Precision = "YEAR"
	PrecisionMonth Precision = "MONTH"
	PrecisionDay   Precision = "DAY"
)

// Date is a calendar date known to year, month or day precision, as the
// sources state it. Its text form is "2019", "2019-05" or "2019-05-21".
type Date struct {
	Year, Month, Day int
	Precision        Precision
}

// ParseDate parses "YYYY", "YYYY-MM" or "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	bad := func() (Date, error) {
		return Date{}, Errorf(CodeInvalid, "malformed date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return bad()
	}
	nums := make([]int, len(parts))
	for i, p := range parts {
		if (i > 0 && len(p) != 2) || p == "" || strings.TrimLeft(p, "0123456789") != "" {
			return bad()
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return bad()
		}
		nums[i] = n
	}
	d := Date{Year: nums[0], Precision: PrecisionYear}
	if d.Year < 1000 {
		return bad()
	}
	if len(nums) > 1 {
		d.Month, d.Precision = nums[1], PrecisionMonth
		if d.Month < 1 || d.Month > 12 {
			return bad()
		}
	}
	if len(nums) > 2 {
		d.Day, d.Precision = nums[2], PrecisionDay
		t := time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
		if t.Day() != d.Day {
			return bad()
		}
	}
	return d, nil
}

// MustParseDate is ParseDate for literals in tests and code; it panics on error.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// String returns the text form with the date's precision.
func (d Date) String() string {
	switch d.Precision {
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	default:
		return fmt.Sprintf("%04d", d.Year)
	}
}

// Start returns the first day the date covers ("2019" starts on 2019-01-01).
func (d Date) Start() time.Time {
	m, day := d.Month, d.Day
	if m == 0 {
		m = 1
	}
	if day == 0 {
		day = 1
	}
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// End returns the last day the date covers ("2019" ends on 2019-12-31).
func (d Date) End() time.Time {
	switch d.Precision {
	case PrecisionDay:
		return d.Start()
	case PrecisionMonth:
		return d.Start().AddDate(0, 1, -1)
	default:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	}
}

// ValidOn reports whether a period [since, until] contains day t, with open
// ends where since or until is nil. A period that starts in "2019" counts as
// valid on any day of 2019.
func ValidOn(since, until *Date, t time.Time) bool {
	if since != nil && t.Before(since.Start()) {
		return false
	}
	if until != nil && t.After(until.End()) {
		return false
	}
	return true
}
