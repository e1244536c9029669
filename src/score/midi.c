#include "score/midi.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/error.h"
#include "base/file.h"

static void put32(score_sbuf *b, uint32_t v)
{
	char c[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v };
	score_sbuf_add(b, c, 4);
}

static void put16(score_sbuf *b, uint16_t v)
{
	char c[2] = { (char)(v >> 8), (char)v };
	score_sbuf_add(b, c, 2);
}

/* A variable-length quantity: 7 bits per byte, high bit set on all but the last. */
static void put_vlq(score_sbuf *b, uint32_t v)
{
	char c[5];
	int n = 0;
	c[4 - n++] = (char)(v & 0x7F);
	while ((v >>= 7) != 0)
		c[4 - n++] = (char)(0x80 | (v & 0x7F));
	score_sbuf_add(b, c + 5 - n, (size_t)n);
}

static void put_bytes(score_sbuf *b, int n, ...)
{
	va_list ap;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		score_sbuf_putc(b, (char)va_arg(ap, int));
	va_end(ap);
}

/* Wraps the events in trk as an MTrk chunk. */
static void put_track(score_sbuf *out, const score_sbuf *trk)
{
	score_sbuf_add(out, "MTrk", 4);
	put32(out, (uint32_t)trk->len);
	score_sbuf_add(out, trk->s, trk->len);
}

struct midi_msg {
	int64_t tick;
	int off;              /* note-offs first at the same tick */
	uint8_t pitch, vel;
};

static int cmp_msg(const void *a, const void *b)
{
	const struct midi_msg *x = a, *y = b;
	if (x->tick != y->tick)
		return x->tick < y->tick ? -1 : 1;
	if (x->off != y->off)
		return y->off - x->off;
	return x->pitch - y->pitch;
}

void score_midi_write(const score_arrangement *a, score_sbuf *out)
{
	score_sbuf_add(out, "MThd", 4);
	put32(out, 6);
	put16(out, 1);
	put16(out, 1 + SCORE_CHANNELS);
	put16(out, SCORE_PPQ);
	/* Track 0: time signature (FF 58: nn, log2 dd, clocks per click, 32nds
	 * per quarter), the tempo map (FF 51: microseconds per quarter), end. */
	score_sbuf trk = { 0 };
	int log2den = 0;
	while ((1 << log2den) < a->meter_den && log2den < 7)
		log2den++;
	put_vlq(&trk, 0);
	put_bytes(&trk, 7, 0xFF, 0x58, 4, a->meter_num, log2den, 24, 8);
	int64_t now = 0;
	for (int i = 0; i < a->n_tempo; i++) {
		put_vlq(&trk, (uint32_t)(a->tempo[i].tick - now));
		now = a->tempo[i].tick;
		uint32_t u = a->tempo[i].usec_per_quarter;
		put_bytes(&trk, 6, 0xFF, 0x51, 3, (int)(u >> 16) & 0xFF, (int)(u >> 8) & 0xFF,
		          (int)u & 0xFF);
	}
	put_vlq(&trk, (uint32_t)(a->ticks - now));
	put_bytes(&trk, 3, 0xFF, 0x2F, 0);
	put_track(out, &trk);
	struct midi_msg *msgs = bj_xmalloc((2 * a->n + 1) * sizeof(*msgs));
	for (int ch = 0; ch < SCORE_CHANNELS; ch++) {
		score_sbuf_reset(&trk);
		put_vlq(&trk, 0);
		put_bytes(&trk, 2, 0xC0 | ch, a->program[ch] & 0x7F);
		size_t n = 0;
		for (size_t i = 0; i < a->n; i++) {
			const score_event *e = &a->events[i];
			if (e->channel != ch)
				continue;
			msgs[n++] = (struct midi_msg){ e->tick, 0, e->pitch, e->velocity };
			msgs[n++] = (struct midi_msg){ e->tick + e->dur, 1, e->pitch, 0 };
		}
		qsort(msgs, n, sizeof(*msgs), cmp_msg);
		now = 0;
		for (size_t i = 0; i < n; i++) {
			put_vlq(&trk, (uint32_t)(msgs[i].tick - now));
			now = msgs[i].tick;
			if (msgs[i].off)
				put_bytes(&trk, 3, 0x80 | ch, msgs[i].pitch, 64);
			else
				put_bytes(&trk, 3, 0x90 | ch, msgs[i].pitch, msgs[i].vel);
		}
		put_vlq(&trk, (uint32_t)(a->ticks - now));
		put_bytes(&trk, 3, 0xFF, 0x2F, 0);
		put_track(out, &trk);
	}
	free(msgs);
	score_sbuf_release(&trk);
}

int score_midi_save(const char *path, const score_arrangement *a)
{
	score_sbuf b = { 0 };
	score_midi_write(a, &b);
	int ret = bj_file_write(path, b.s, b.len);
	score_sbuf_release(&b);
	return ret;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads a VLQ at *p (before end); -1 when it runs off the end or past 4 bytes. */
static int64_t get_vlq(const uint8_t **p, const uint8_t *end)
{
	int64_t v = 0;
	for (int i = 0; i < 4; i++) {
		if (*p >= end)
			return -1;
		uint8_t c = *(*p)++;
		v = (v << 7) | (c & 0x7F);
		if (!(c & 0x80))
			return v;
	}
	return -1;
}

static int parse_track(const uint8_t *p, const uint8_t *end, int track, const char *name,
                       score_midi_info *info)
{
	int64_t tick = 0;
	int status = 0;
	/* Notes sounding: the index in info->notes, per channel and pitch. */
	static const size_t none = (size_t)-1;
	size_t *on = bj_xmalloc(16 * 128 * sizeof(*on));
	for (int i = 0; i < 16 * 128; i++)
		on[i] = none;
	int ret = 0;
	while (p < end) {
		int64_t delta = get_vlq(&p, end);
		if (delta < 0 || p >= end) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': track %d ends inside an event", name, track);
			break;
		}
		tick += delta;
		int s = *p;
		if (s & 0x80)
			p++, status = s;
		else if (!status) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': track %d: data byte without a status", name,
			                   track);
			break;
		}
		int kind = status & 0xF0, ch = status & 0x0F;
		if (status == 0xFF) {
			if (p >= end) {
				ret = bj_error_set(BJ_EFORMAT, "'%s': track %d ends inside an event", name, track);
				break;
			}
			int type = *p++;
			int64_t len = get_vlq(&p, end);
			if (len < 0 || len > end - p) {
				ret = bj_error_set(BJ_EFORMAT, "'%s': track %d ends inside an event", name, track);
				break;
			}
			if (type == 0x51 && len == 3) {
				BJ_GROW(info->tempo, info->cap_tempo, info->n_tempo + 1);
				info->tempo[info->n_tempo++] = (score_tempo){ tick,
					(uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2] };
			}
			p += len;
			status = 0;
			if (type == 0x2F)
				break;
			continue;
		}
		if (status == 0xF0 || status == 0xF7) {
			int64_t len = get_vlq(&p, end);
			if (len < 0 || len > end - p) {
				ret = bj_error_set(BJ_EFORMAT, "'%s': track %d ends inside an event", name, track);
				break;
			}
			p += len;
			status = 0;
			continue;
		}
		int n = kind == 0xC0 || kind == 0xD0 ? 1 : 2;
		if (end - p < n || (p[0] & 0x80) || (n == 2 && (p[1] & 0x80))) {
			ret = bj_error_set(BJ_EFORMAT, "'%s': track %d: bad channel message", name, track);
			break;
		}
		if (kind == 0xC0)
			info->programs[ch] = p[0];
		int pitch = p[0], vel = n == 2 ? p[1] : 0;
		if ((kind == 0x90 && vel == 0) || kind == 0x80) {
			size_t k = on[ch * 128 + pitch];
			if (k != none) {
				info->notes[k].dur = tick - info->notes[k].tick;
				on[ch * 128 + pitch] = none;
			}
		} else if (kind == 0x90) {
			BJ_GROW(info->notes, info->cap_notes, info->n_notes + 1);
			info->notes[info->n_notes] = (score_midi_note){ tick, -1, ch, pitch, vel };
			on[ch * 128 + pitch] = info->n_notes++;
		}
		p += n;
	}
	if (tick > info->ticks)
		info->ticks = tick;
	free(on);
	return ret;
}

int score_midi_parse(const uint8_t *data, size_t len, const char *name, score_midi_info *info)
{
	memset(info, 0, sizeof(*info));
	for (int i = 0; i < 16; i++)
		info->programs[i] = -1;
	if (len < 14 || memcmp(data, "MThd", 4) != 0 || get32(data + 4) < 6)
		return bj_error_set(BJ_EFORMAT, "'%s': not a MIDI file", name);
	uint32_t hlen = get32(data + 4);
	if (hlen > len - 8)
		return bj_error_set(BJ_EFORMAT, "'%s': header runs past the end", name);
	info->format = data[8] << 8 | data[9];
	info->tracks = data[10] << 8 | data[11];
	info->division = data[12] << 8 | data[13];
	if (info->division == 0 || (info->division & 0x8000))
		return bj_error_set(BJ_EFORMAT, "'%s': SMPTE or zero division not supported", name);
	size_t at = 8 + hlen;
	for (int t = 0; t < info->tracks; t++) {
		if (len - at < 8 || memcmp(data + at, "MTrk", 4) != 0)
			return bj_error_set(BJ_EFORMAT, "'%s': track %d missing", name, t);
		uint32_t tlen = get32(data + at + 4);
		if (tlen > len - at - 8)
			return bj_error_set(BJ_EFORMAT, "'%s': track %d runs past the end", name, t);
		int ret = parse_track(data + at + 8, data + at + 8 + tlen, t, name, info);
		if (ret < 0)
			return ret;
		at += 8 + tlen;
	}
	return 0;
}

int score_midi_load(const char *path, score_midi_info *info)
{
	uint8_t *data;
	size_t size;
	memset(info, 0, sizeof(*info));
	int ret = bj_file_read(path, 64u << 20, &data, &size);
	if (ret < 0)
		return ret;
	ret = score_midi_parse(data, size, path, info);
	free(data);
	return ret;
}

void score_midi_info_release(score_midi_info *info)
{
	free(info->notes);
	free(info->tempo);
	memset(info, 0, sizeof(*info));
}
