package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// svg draws two bar charts, decoding and encoding throughput at protocol 4,
// one group of bars per payload, on a log scale: plain SVG text.
func (rep *report) svg() string {
	var p4 []*fileResults
	for _, fr := range rep.Files {
		if fr.File.Protocol == 4 {
			p4 = append(p4, fr)
		}
	}
	// Labels are short: a panel's legend is one line of at most the width.
	type series struct {
		impl, label, color string
	}
	decode := []series{
		{implCPyLoads, "CPython gc off", "#4c72b0"},
		{implCPyLoadsK, "CPython gc off, kept", "#27406b"},
		{implCPyLoadsG, "CPython gc on", "#a6bddb"},
		{implAny, "pickle → any", "#dd8452"},
		{implTyped, "pickle → typed", "#f2b880"},
		{implOgrek, "og-rek", "#55a868"},
		{implGopickle, "gopickle", "#8172b3"},
	}
	encode := []series{
		{implCPyDumps, "CPython gc off", "#4c72b0"},
		{implCPyDumpsK, "CPython gc off, kept", "#27406b"},
		{implCPyDumpsG, "CPython gc on", "#a6bddb"},
		{implEncAny, "pickle ← any", "#dd8452"},
		{implEncTyped, "pickle ← typed", "#f2b880"},
		{implOgrekEnc, "og-rek ← any", "#55a868"},
	}

	const (
		width   = 1000
		panelH  = 300
		left    = 70
		right   = 20
		top     = 60
		gapY    = 80
		legendH = 24
	)
	// The log axis spans the decades that hold every value.
	lo, hi := math.Inf(1), 0.0
	for _, fr := range p4 {
		for _, r := range fr.rows() {
			if r.Err == "" && r.MBps > 0 && r.Op != "copy" {
				lo, hi = math.Min(lo, r.MBps), math.Max(hi, r.MBps)
			}
		}
	}
	if hi == 0 {
		lo, hi = 1, 10
	}
	minDec, maxDec := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if maxDec == minDec {
		maxDec++
	}
	height := top + 2*(panelH+legendH) + gapY + 60
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%d" y="24" font-size="15" font-weight="bold">pickle-go/pickle vs CPython %s and the Go peers, protocol 4: MB/s of pickle bytes (log scale)</text>`+"\n", left, html.EscapeString(rep.Python))
	fmt.Fprintf(&b, `<text x="%d" y="42" fill="#555">%s. Higher is better; ✗ marks a failure (og-rek: its default mode). Numbers and method: RESULTS.md.</text>`+"\n", left, html.EscapeString(rep.Date.Format("2006-01-02")))

	panel := func(y0 int, title string, ss []series) {
		plotW := width - left - right
		yOf := func(v float64) float64 {
			f := (math.Log10(v) - minDec) / (maxDec - minDec)
			return float64(y0+panelH) - f*float64(panelH)
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" font-weight="bold">%s</text>`+"\n", left, y0-8, html.EscapeString(title))
		for d := minDec; d <= maxDec; d++ {
			y := yOf(math.Pow(10, d))
			fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>`+"\n", left, width-right, y, y)
			fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" fill="#555">%s</text>`+"\n", left-6, y+4, axisLabel(math.Pow(10, d)))
		}
		fmt.Fprintf(&b, `<text x="16" y="%d" transform="rotate(-90 16 %d)" text-anchor="middle" fill="#555">MB/s</text>`+"\n", y0+panelH/2, y0+panelH/2)
		groupW := float64(plotW) / float64(max(len(p4), 1))
		barW := groupW * 0.8 / float64(len(ss))
		for gi, fr := range p4 {
			rs := fr.rows()
			gx := float64(left) + float64(gi)*groupW + groupW*0.1
			for si, s := range ss {
				x := gx + float64(si)*barW
				var r *row
				for i := range rs {
					if rs[i].Impl == s.impl {
						r = &rs[i]
					}
				}
				switch {
				case r == nil:
				case r.Err != "":
					fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="%s" font-weight="bold">✗</text>`+"\n", x+barW/2, y0+panelH-4, s.color)
				default:
					y := yOf(r.MBps)
					fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %.1f MB/s</title></rect>`+"\n",
						x, y, barW-1, float64(y0+panelH)-y, s.color, html.EscapeString(fr.File.Payload), html.EscapeString(s.label), r.MBps)
				}
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", gx+groupW*0.4, y0+panelH+16, html.EscapeString(fr.File.Payload))
		}
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="#333"/>`+"\n", left, width-right, y0+panelH, y0+panelH)
		lx := left
		for _, s := range ss {
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`+"\n", lx, y0+panelH+28, s.color)
			fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`+"\n", lx+16, y0+panelH+38, html.EscapeString(s.label))
			lx += 16 + 8*len([]rune(s.label)) + 14
		}
	}
	panel(top+20, "Decoding", decode)
	panel(top+20+panelH+legendH+gapY, "Encoding", encode)
	b.WriteString("</svg>\n")
	return b.String()
}

func axisLabel(v float64) string {
	if v >= 1 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%g", v)
}
