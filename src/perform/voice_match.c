/*
 * voice_match.c - choose a base voice and its shifts to match a sample.
 */
#include "perform/voice_match.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "perform/voice_analysis.h"

/* The opening of the Rainbow Passage (Fairbanks, 1960), the usual reading
 * for voice measurement: it has most of English's sounds. */
const char perform_calibration_text[] =
	"When the sunlight strikes raindrops in the air, they act as a prism and form a rainbow. "
	"The rainbow is a division of white light into many beautiful colors. These take the shape "
	"of a long round arch, with its path high above, and its two ends apparently beyond the "
	"horizon.";

/* Reads the passage with v and measures it. */
static int measure(const perform_voice_setting *v, perform_voice_profile *p)
{
	perform_speech sp;
	perform_line_options o = PERFORM_LINE_DEFAULTS;
	int ret = perform_line_render(v, perform_calibration_text, &o, &sp);
	if (ret == 0)
		ret = perform_voice_analyse(&sp.audio, p);
	perform_speech_release(&sp);
	return ret;
}

static double clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

int perform_voice_match(const media_audio *sample, perform_voice_setting *v,
                        perform_match_report *r)
{
	perform_match_report rep = { 0 };
	perform_voice_profile target, base, best_base = { 0 };
	int ret = perform_voice_analyse(sample, &target);
	if (ret < 0)
		return ret;
	double best = HUGE_VAL;
	for (size_t i = 0; i < perform_voice_count(); i++) {
		const perform_voice_info *info = perform_voice_at(i);
		if (strcmp(info->name, "kal") == 0)
			continue; /* the same speaker as kal16, at 8 kHz */
		perform_voice_setting cand = PERFORM_VOICE_SETTING("");
		snprintf(cand.voice, sizeof cand.voice, "%s", info->name);
		if ((ret = measure(&cand, &base)) < 0)
			return ret;
		/* Three semitones of pitch count as much as 2 dB of envelope: pitch
		 * shifts are cheap, formant shifts of a whole envelope less so. */
		double st = fabs(12.0 * log2(target.f0_median / base.f0_median));
		double score = st / 3.0 + perform_spectral_distance(&target, &base) / 2.0;
		if (score < best) {
			best = score;
			best_base = base;
			*v = cand;
		}
	}
	rep.target_f0 = target.f0_median;
	rep.target_range = target.f0_range;
	rep.base_f0 = best_base.f0_median;
	rep.distance_before = perform_spectral_distance(&target, &best_base);
	v->shift.semitones = clamp(12.0 * log2(target.f0_median / best_base.f0_median), -24, 24);
	/* Speakers' vocal tracts differ by some 15 % either way (women's are about
	 * that much shorter than men's); an estimate beyond is the recording's
	 * channel talking, not the speaker. */
	v->shift.formant = clamp(perform_formant_scale(&target, &best_base), 0.87, 1.15);
	v->range = clamp(target.f0_range / fmax(best_base.f0_range, 0.5), 0.5, 3.0);
	perform_voice_profile out = { 0 };
	for (int round = 0; round < 3; round++) {
		if ((ret = measure(v, &out)) < 0)
			return ret;
		double off = 12.0 * log2(target.f0_median / out.f0_median);
		if (round == 2 || fabs(off) < 0.15) /* 0.15 st is 0.9 % */
			break;
		v->shift.semitones = clamp(v->shift.semitones + off, -24, 24);
	}
	rep.out_f0 = out.f0_median;
	rep.out_range = out.f0_range;
	rep.distance_after = perform_spectral_distance(&target, &out);
	if (r)
		*r = rep;
	return 0;
}

int perform_voice_match_file(const char *path, perform_voice_setting *v, perform_match_report *r)
{
	media_audio a;
	int ret = media_audio_load(path, 16000, 1, &a);
	if (ret == 0 && (ret = perform_voice_match(&a, v, r)) < 0)
		bj_error_prefix("'%s'", path);
	media_audio_release(&a);
	return ret;
}

void perform_match_describe(const perform_voice_setting *v, const perform_match_report *r,
                            char *buf, size_t size)
{
	char what[128];
	perform_voice_setting_describe(v, what, sizeof what);
	snprintf(buf, size,
	         "matched %s: median F0 %.1f Hz (sample) -> %.1f Hz (%+.1f %%), F0 range %.1f -> %.1f "
	         "semitones, spectral distance %.2f dB -> %.2f dB",
	         what, r->target_f0, r->out_f0, 100.0 * (r->out_f0 / r->target_f0 - 1.0),
	         r->target_range, r->out_range, r->distance_before, r->distance_after);
}
