package ingest

import (
	"regexp"
	"strings"

	"github.com/innograph/innograph/internal/kg"
)

// Amount is a sum of money found in text: the amount as kg.Money (Note holds
// the qualifier and any equivalent the text gives in parentheses) and its span.
type Amount struct {
	// Money is the amount; Span where the text states it.
	Money kg.Money
	Span  Span
}

const numRE = `([0-9][0-9,]*(?:\.[0-9]+)?)`
const scaleRE = `(?:\s*(thousand|million|billion|trillion|bn|mn|m)\b)?`
const qualRE = `(?i:(over|more than|up to|about|around|nearly|almost|at least|some|approximately|less than|close to|roughly)\s+)?`

var (
	// "HK$30 million", "US$3.8 million", "HKD130 billion", "RMB 440 million", "€5m"
	moneyPrefixRE = regexp.MustCompile(qualRE + `(HK\$|US\$|RMB|HKD|USD|CNY|EUR|GBP|MOP|JPY|€|£|¥)\s?` + numRE + `(?i:` + scaleRE + `)`)
	// "440 million RMB", "5 billion yuan", "30 million Hong Kong dollars"
	moneySuffixRE = regexp.MustCompile(qualRE + numRE + `(?i:` + scaleRE + `\s*(RMB|yuan|renminbi|HKD|Hong Kong dollars|USD|US dollars|euros?|CNY|patacas|MOP|pounds sterling|JPY|yen)\b)`)
)

var currencyOf = map[string]string{
	"hk$": "HKD", "us$": "USD", "rmb": "CNY", "hkd": "HKD", "usd": "USD", "cny": "CNY", "eur": "EUR", "gbp": "GBP",
	"mop": "MOP", "jpy": "JPY", "€": "EUR", "£": "GBP", "¥": "CNY", "yuan": "CNY", "renminbi": "CNY",
	"hong kong dollars": "HKD", "us dollars": "USD", "euro": "EUR", "euros": "EUR", "patacas": "MOP",
	"pounds sterling": "GBP", "yen": "JPY",
}

var scaleZeros = map[string]int{"": 0, "thousand": 3, "million": 6, "m": 6, "mn": 6, "billion": 9, "bn": 9, "trillion": 12}

// scaleDecimal multiplies a decimal string such as "3.8" by 10^zeros exactly.
func scaleDecimal(num string, zeros int) string {
	num = strings.ReplaceAll(num, ",", "")
	ip, fp, _ := strings.Cut(num, ".")
	for zeros > 0 && fp != "" {
		ip += fp[:1]
		fp = fp[1:]
		zeros--
	}
	ip += strings.Repeat("0", zeros)
	ip = strings.TrimLeft(ip, "0")
	if ip == "" {
		ip = "0"
	}
	fp = strings.TrimRight(fp, "0")
	if fp != "" {
		return ip + "." + fp
	}
	return ip
}

// Amounts finds the sums of money in text. An amount in parentheses right
// after another ("HK$30 million (US$3.8 million)") is that amount's
// equivalent: it goes into the first one's Note, not out on its own.
func Amounts(text string) []Amount {
	type hit struct {
		s, e          int
		qual, num, sc string
		cur           string
	}
	var hits []hit
	for _, m := range moneyPrefixRE.FindAllStringSubmatchIndex(text, -1) {
		h := hit{s: m[0], e: m[1], cur: text[m[4]:m[5]], num: text[m[6]:m[7]]}
		if m[2] >= 0 {
			h.qual = text[m[2]:m[3]]
		}
		if m[8] >= 0 {
			h.sc = text[m[8]:m[9]]
		}
		hits = append(hits, h)
	}
	for _, m := range moneySuffixRE.FindAllStringSubmatchIndex(text, -1) {
		h := hit{s: m[0], e: m[1], num: text[m[4]:m[5]], cur: text[m[8]:m[9]]}
		if m[2] >= 0 {
			h.qual = text[m[2]:m[3]]
		}
		if m[6] >= 0 {
			h.sc = text[m[6]:m[7]]
		}
		overlap := false
		for _, o := range hits {
			if h.s < o.e && o.s < h.e {
				overlap = true
			}
		}
		if !overlap {
			hits = append(hits, h)
		}
	}
	sortBy(hits, func(a, b hit) bool { return a.s < b.s })
	var out []Amount
	for _, h := range hits {
		cur := currencyOf[strings.ToLower(h.cur)]
		value := scaleDecimal(h.num, scaleZeros[strings.ToLower(h.sc)])
		m, err := kg.ParseMoney(value, cur)
		if err != nil {
			continue
		}
		m.Note = strings.ToLower(h.qual)
		if n := len(out); n > 0 {
			prev := &out[n-1]
			between := text[prev.Span.End:h.s]
			if strings.TrimSpace(between) == "(" || strings.TrimSpace(between) == "(or" || strings.TrimSpace(between) == "(about" {
				eq := strings.TrimSpace(text[h.s:h.e])
				if prev.Money.Note != "" {
					prev.Money.Note += " "
				}
				prev.Money.Note += "(" + eq + ")"
				continue
			}
		}
		out = append(out, Amount{Money: m, Span: Span{h.s, h.e}})
	}
	return out
}
