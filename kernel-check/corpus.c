/*
 * corpus.c - replays the conformance corpus (model-check/corpus/corpus.txt,
 * format model-check/CORPUS.md) on the kernel's shadow.c compiled against
 * the shims.  Every line's faults are armed (allocfail: the next kzalloc
 * fails; ctorfail: the constructor returns -ENOMEM), and every outcome is
 * compared: WHY, RESULT (data tokens bound to the returned pointers), the
 * constructor call (obj, the data returned), the destructor calls (as a
 * set), a WARN exactly on dup and an error message exactly on ctorFail.
 * At the end of each trace every <obj, id> of the trace must read what the
 * trace left; then the table is emptied with klp_shadow_free_all on each
 * id, rcu_barrier() runs, and every allocation must have been freed.
 *
 * Usage: corpus FILE LAYOUT      LAYOUT: "collide" (all objects in one
 * bucket: the walks pass other entries) or "spread" (distinct buckets).
 * Prints "corpus: traces=T ops=N failures=F layout=L"; exit 1 on a failure.
 * Written for this project.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim/shim_test.h"
#include <linux/livepatch.h>

#define MAXO 8
#define MAXI 8
#define MAXTOK 64
#define CTOR_MARK 0x5ca1ab1eu

static char objspace[1 << 20];
static void *objs[MAXO + 1];
static void *tokens[MAXTOK + 1];
static int ntokens;
static int ctor_fail;
static int ctor_calls;
static void *ctor_obj, *ctor_data;
static int ndtor;
static void *dtor_obj[64], *dtor_data[64];
static long failures, ops, traces;
static const char *trace_name;
static int line_no;

struct data { unsigned mark; unsigned pad; };

static int ctor(void *obj, void *data, void *arg)
{
	(void)arg;
	ctor_calls++;
	ctor_obj = obj;
	ctor_data = data;
	if (ctor_fail)
		return -ENOMEM;
	((struct data *)data)->mark = CTOR_MARK;
	return 0;
}

static void dtor(void *obj, void *data)
{
	if (ndtor < 64) {
		dtor_obj[ndtor] = obj;
		dtor_data[ndtor] = data;
	}
	ndtor++;
}

static void fail(const char *line, const char *fmt, const char *detail)
{
	failures++;
	if (failures <= 20)
		fprintf(stderr, "corpus: FAIL trace %s line %d: %s\n  expected: %s\n  %s\n",
			trace_name, line_no, fmt, line, detail);
}

static int objnum(const char *s) { return s[0] == 'o' ? atoi(s + 1) : 0; }
static int idnum(const char *s) { return atoi(s + 1); }

static int tokof(void *p)
{
	for (int k = 1; k <= ntokens; k++)
		if (tokens[k] == p)
			return k;
	return 0;
}

static void pick_objects(int collide)
{
	/* Objects are never dereferenced by shadow.c: any distinct addresses
	 * do.  "collide": addresses in objspace that hash to one bucket. */
	int n = 0;
	unsigned want = 0;
	for (size_t off = 0; off < sizeof objspace && n < MAXO; off += 8) {
		void *p = objspace + off;
		unsigned b = shim_klp_bucket(p);
		if (collide) {
			if (n == 0)
				want = b;
			if (b != want)
				continue;
		} else {
			int dup = 0;
			for (int k = 1; k <= n; k++)
				dup |= shim_klp_bucket(objs[k]) == b;
			if (dup)
				continue;
		}
		objs[++n] = p;
	}
	if (n < MAXO) {
		fprintf(stderr, "corpus: could not pick %d objects\n", MAXO);
		exit(2);
	}
}

/* key -> token the trace left (0 = none) */
static int model[MAXO + 1][MAXI + 1];
static int maxo, maxi;

static void end_trace(void)
{
	char d[128];

	if (!trace_name)
		return;
	for (int o = 1; o <= maxo; o++)
		for (int i = 1; i <= maxi; i++) {
			void *got = klp_shadow_get(objs[o], i);
			void *want = model[o][i] ? tokens[model[o][i]] : NULL;
			if (got != want) {
				snprintf(d, sizeof d, "end of trace: get(o%d, i%d) = token %d, the trace left token %d",
					 o, i, got ? tokof(got) : 0, model[o][i]);
				fail("(end of trace)", "table content", d);
			}
		}
	for (int i = 1; i <= MAXI; i++)
		klp_shadow_free_all(i, NULL);
	rcu_barrier();
	if (shim_alloc_ok != shim_kfreed + shim_rcu_freed) {
		snprintf(d, sizeof d, "after freeing everything and rcu_barrier: allocated %ld, kfree %ld, kfree_rcu %ld",
			 shim_alloc_ok, shim_kfreed, shim_rcu_freed);
		fail("(end of trace)", "accounting", d);
		shim_kfreed = shim_alloc_ok - shim_rcu_freed;	/* report once */
	}
	memset(model, 0, sizeof model);
	ntokens = 0;
	maxo = maxi = 0;
	traces++;
}

int main(int argc, char **argv)
{
	FILE *f;
	char line[512], d[512];
	static char name[128];

	if (argc < 3) {
		fprintf(stderr, "usage: corpus FILE collide|spread\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	pick_objects(strcmp(argv[2], "collide") == 0);
	shim_log = fopen("/dev/null", "w");
	while (fgets(line, sizeof line, f)) {
		char op[32], os[16], is[16], faults[64], colon[4], why[32], res[16], cs[16], ds[256];
		line[strcspn(line, "\n")] = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		if (strncmp(line, "trace ", 6) == 0) {
			end_trace();
			snprintf(name, sizeof name, "%.100s", line + 6);
			trace_name = name;
			line_no = 0;
			continue;
		}
		line_no++;
		if (sscanf(line, "%31s %15s %15s %63s %3s %31s %15s %15s %255s",
			   op, os, is, faults, colon, why, res, cs, ds) != 9 || strcmp(colon, ":")) {
			fail(line, "unreadable line", "");
			continue;
		}
		ops++;
		int o = objnum(os), id = idnum(is);
		if (o > maxo) maxo = o;
		if (id > maxi) maxi = id;
		int allocfail = strstr(faults, "allocfail") != NULL;
		ctor_fail = strstr(faults, "ctorfail") != NULL;
		ctor_calls = 0;
		ndtor = 0;
		ctor_obj = ctor_data = NULL;
		long warn0 = shim_warnings, err0 = shim_errors, att0 = shim_alloc_attempts, af0 = shim_alloc_failures;
		shim_alloc_fail_next = allocfail;
		void *r = NULL;
		char gotwhy[32] = "done";
		if (!strcmp(op, "get")) {
			r = klp_shadow_get(objs[o], id);
			strcpy(gotwhy, "value");
		} else if (!strcmp(op, "alloc") || !strcmp(op, "getOrAlloc")) {
			if (!strcmp(op, "alloc"))
				r = klp_shadow_alloc(objs[o], id, sizeof(struct data), GFP_NOWAIT, ctor, NULL);
			else
				r = klp_shadow_get_or_alloc(objs[o], id, sizeof(struct data), GFP_NOWAIT, ctor, NULL);
			if (r)
				strcpy(gotwhy, tokof(r) ? "exists" : "new");
			else if (ctor_calls)
				strcpy(gotwhy, "ctorFail");
			else if (shim_alloc_attempts > att0 && shim_alloc_failures > af0)
				strcpy(gotwhy, "allocFail");
			else
				strcpy(gotwhy, "dup");
		} else if (!strcmp(op, "free")) {
			klp_shadow_free(objs[o], id, dtor);
		} else if (!strcmp(op, "freeAll")) {
			klp_shadow_free_all(id, dtor);
		} else {
			fail(line, "unknown operation", op);
			continue;
		}
		shim_alloc_fail_next = 0;
		ctor_fail = 0;
		/* WHY */
		if (strcmp(gotwhy, why)) {
			snprintf(d, sizeof d, "observed WHY %s", gotwhy);
			fail(line, "outcome", d);
			continue;
		}
		/* RESULT */
		if (!strcmp(why, "new")) {
			char want[16];
			snprintf(want, sizeof want, "d%d", ntokens + 1);
			if (strcmp(res, want) || ntokens >= MAXTOK) {
				fail(line, "token numbering", res);
				continue;
			}
			tokens[++ntokens] = r;
			model[o][id] = ntokens;
			if (((struct data *)r)->mark != CTOR_MARK)
				fail(line, "new data not constructed before it was returned", "");
		} else if (res[0] == '-') {
			if (r) {
				snprintf(d, sizeof d, "returned token %d, expected NULL", tokof(r));
				fail(line, "result", d);
			}
		} else {
			int t = atoi(res + 1);
			if (t < 1 || t > ntokens || tokens[t] != r) {
				snprintf(d, sizeof d, "returned token %d (%p)", tokof(r), r);
				fail(line, "result", d);
			}
		}
		/* CTOR */
		if (cs[0] == '-') {
			if (ctor_calls) {
				snprintf(d, sizeof d, "constructor called %d times", ctor_calls);
				fail(line, "constructor", d);
			}
		} else {
			int co = objnum(cs);
			if (ctor_calls != 1 || ctor_obj != objs[co] ||
			    (!strcmp(why, "new") && ctor_data != r)) {
				snprintf(d, sizeof d, "constructor called %d times, obj %p (o%d is %p)",
					 ctor_calls, ctor_obj, co, objs[co]);
				fail(line, "constructor", d);
			}
		}
		/* DTORS (a set) */
		int want_d = 0;
		if (ds[0] != '-') {
			char *save, *tok;
			for (tok = strtok_r(ds, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				int dobj = objnum(tok), dt = atoi(strchr(tok, '=') + 2), found = 0;
				want_d++;
				for (int k = 0; k < ndtor && k < 64; k++)
					if (dtor_obj[k] == objs[dobj] && dt >= 1 && dt <= ntokens && dtor_data[k] == tokens[dt])
						found++;
				if (found != 1) {
					snprintf(d, sizeof d, "destructor call %s seen %d times", tok, found);
					fail(line, "destructor", d);
				}
				for (int a = 1; a <= maxo; a++)
					for (int b = 1; b <= maxi; b++)
						if (model[a][b] == dt)
							model[a][b] = 0;
			}
		}
		if (ndtor != want_d) {
			snprintf(d, sizeof d, "%d destructor calls, expected %d", ndtor, want_d);
			fail(line, "destructor", d);
		}
		/* WARN exactly on dup, an error message exactly on ctorFail */
		if ((shim_warnings > warn0) != !strcmp(why, "dup"))
			fail(line, "WARN", shim_warnings > warn0 ? "a WARN without dup" : "dup without a WARN");
		if ((shim_errors > err0) != !strcmp(why, "ctorFail"))
			fail(line, "pr_err", shim_errors > err0 ? "an error message without ctorFail" : "ctorFail without an error message");
	}
	end_trace();
	printf("corpus: traces=%ld ops=%ld failures=%ld layout=%s\n", traces, ops, failures, argv[2]);
	return failures ? 1 : 0;
}
