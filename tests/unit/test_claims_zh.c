// SPDX-License-Identifier: GPL-2.0
/*
 * test_claims_zh.c - every scenario and every claim is stated in Chinese as well.
 *
 * The course is taught in Chinese: the trace carries summary_zh, explain_zh and each claim's
 * text_zh, and the viewer and `ipclab run --lang zh` show them.  A scenario or a claim added
 * without its Chinese text fails here.  The claims are the ones each checker makes on an
 * empty trace (every checker states its claims before it looks at the records; the
 * per-size cost claims of `compare` exist only when there are pairs, so they are not seen).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "claims_check.h"
#include "claims.h"
#include "scenarios.h"

static void test_has_cjk(void **state)
{
	assert_true(claims_text_has_cjk("管道"));
	assert_true(claims_text_has_cjk("read() 返回 0"));
	assert_false(claims_text_has_cjk("read returns 0"));
	assert_false(claims_text_has_cjk("（）：、"));	/* punctuation alone is not Chinese text */
	assert_false(claims_text_has_cjk(NULL));
}

static void test_scenarios_in_chinese(void **state)
{
	int bad = 0;

	assert_true(scenario_count() > 0);
	for (size_t i = 0; i < scenario_count(); i++) {
		const struct scenario *s = scenario_at(i);

		if (!claims_text_has_cjk(s->summary_zh) || !claims_text_has_cjk(s->explain_zh)) {
			print_error("scenario %s: no Chinese %s\n", s->name,
				    claims_text_has_cjk(s->summary_zh) ? "explain_zh" : "summary_zh");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Every scenario says what to look for in the page, in English and in Chinese. */
static void test_scenarios_say_what_to_look_for(void **state)
{
	int bad = 0;

	for (size_t i = 0; i < scenario_count(); i++) {
		const struct scenario *s = scenario_at(i);

		if (!s->look || strlen(s->look) < 20 || !claims_text_has_cjk(s->look_zh)) {
			print_error("scenario %s: no %s\n", s->name,
				    s->look && strlen(s->look) >= 20 ? "look_zh in Chinese" : "look");
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

static void test_claims_in_chinese(void **state)
{
	int bad = 0, seen = 0;

	for (size_t i = 0; i < scenario_count(); i++) {
		const struct scenario *s = scenario_at(i);
		struct claim_set cs;

		claims_evaluate(s->name, NULL, 0, 0, &cs);
		for (int k = 0; k < cs.n; k++, seen++) {
			const struct claim *c = &cs.c[k];

			/* a text that filled the buffer may end inside a character */
			if (!claims_text_has_cjk(c->text_zh) || strlen(c->text_zh) >= sizeof(c->text_zh) - 1) {
				print_error("claim %s/%s: no Chinese text_zh (or cut off)\n",
					    s->name, c->id);
				bad++;
			}
		}
	}
	print_message("%d claims checked\n", seen);
	assert_true(seen > 0);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_has_cjk),
		cmocka_unit_test(test_scenarios_in_chinese),
		cmocka_unit_test(test_scenarios_say_what_to_look_for),
		cmocka_unit_test(test_claims_in_chinese),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
