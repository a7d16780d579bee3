package kg

import (
	"regexp"
	"strings"
)

// Money is an amount exactly as stated: a decimal string and an ISO 4217 code.
type Money struct {
	// Value is a plain decimal string such as "440000000" or "12.5".
	Value string
	// Currency is an ISO 4217 code such as "HKD", "CNY" or "USD".
	Currency string
	// Note is a qualifier the source puts on the amount ("more than", "over").
	Note string
}

var decimalRE = regexp.MustCompile(`^(0|[1-9][0-9]*)(\.[0-9]+)?$`)

// Currencies are the ISO codes innograph accepts.
var Currencies = map[string]string{
	"HKD": "Hong Kong dollar",
	"CNY": "Chinese yuan (renminbi, RMB)",
	"USD": "United States dollar",
	"EUR": "Euro",
	"GBP": "Pound sterling",
	"MOP": "Macanese pataca",
	"JPY": "Japanese yen",
}

// ParseMoney validates a decimal value and currency code.
func ParseMoney(value, currency string) (Money, error) {
	value = strings.TrimSpace(value)
	if !decimalRE.MatchString(value) {
		return Money{}, Errorf(CodeInvalid, "malformed amount %q: want a plain decimal such as 440000000 or 12.5", value)
	}
	c := strings.ToUpper(strings.TrimSpace(currency))
	if c == "RMB" {
		c = "CNY"
	}
	if _, ok := Currencies[c]; !ok {
		return Money{}, Errorf(CodeInvalid, "unknown currency %q: want an ISO 4217 code such as HKD, CNY or USD", currency)
	}
	return Money{Value: value, Currency: c}, nil
}
