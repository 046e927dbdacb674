/*
 * trace.c - records concurrent runs of the kernel's shadow.c through the
 * shims and writes them in the language-neutral trace format of
 * model-check/TRACE.md, for TLC to check against spec/Shadow.tla
 * (spec/trace/KernelTrace.tla, through io.github.shadowvars.kit.KernelTraceCheck).
 *
 * Recording: the shims report every step that matters (each step of an RCU
 * walk with the link it loaded, the walks under the lock, hash_add_rcu,
 * hash_del_rcu, kfree_rcu, the RCU callback, kzalloc, kfree, the lock and
 * unlock, the outermost rcu_read_lock/unlock); this driver adds the calls,
 * each call's returned pointer, and the constructor and destructor calls
 * with their arguments.  Every event is appended to one log under one
 * mutex, and the shims hold that mutex around a link load or store and its
 * event, so the log's order is an order in which the steps really happened.
 * Where a step reads or publishes an entry, the entry's obj and id are read
 * from its memory in that same step, through the layout of the shadow.c
 * under check (layout.c).  Each thread's events are then turned into the
 * spec's labelled steps by a per-thread translation (translate_event()
 * below; the rules are in model-check/TRACE.md, "Emitting from C"): what a
 * line says comes from the events, never from the translation's own state;
 * a step with no event is left out (a_set) or merged (see TRACE.md), and
 * the counts per label are printed at the end.
 *
 * Runs: 3 deterministic scenarios (a lost race, a reader on an unlinked
 * entry, free_all removing two entries), then random runs: 2 or 3 threads,
 * 3 to 6 random operations each on objects o1, o2 (in ONE bucket of
 * shadow.c's table) and ids 1, 2, with allocation and constructor failures
 * injected (15% each); threads yield at random points to interleave.
 * After each run: rcu_barrier() (its callbacks recorded), then the table
 * is emptied with recording off.
 *
 * Usage: trace COUNT SEED FILE (built with layout.c in place of shadow.o)
 * Written for this project.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim/shim_test.h"
#include <linux/livepatch.h>
#include "trace_layout.h"

/* ------------------------------------------------------------ raw log */
enum { EV_CALL = 100, EV_CTOR, EV_DTOR, EV_RET };
enum { OP_GET, OP_ALLOC, OP_GOA, OP_FREE, OP_FREEALL };
static const char *opname[] = { "get", "alloc", "getOrAlloc", "free", "freeAll" };

struct ev {
	int t;			/* thread 1..3; 0 = another thread (the reclaimer) */
	int kind;		/* enum shim_event or EV_* */
	const void *p;		/* the entry (its kzalloc'd block), NULL for none */
	int op, obj, id, ok;	/* EV_CALL: op, obj (1, 2; 0 none), id; EV_CTOR: ok */
	int ro;			/* read from memory / passed: obj 1, 2, 0 NULL, 3 another */
	unsigned long ri;	/* read from memory: the id field */
};
#define MAXEV 200000
static struct ev evs[MAXEV];
static int nev, overflow;
static __thread int tidx;
static int recording;
static char objspace[1 << 16];
static void *objs[3];
static unsigned bucket_b;	/* the bucket of o1 and o2 */

static int objidx(const void *o)
{
	return !o ? 0 : o == objs[1] ? 1 : o == objs[2] ? 2 : 3;
}

/* Records an event.  p is what the primitive reported: a hash node for a
 * walk step, hash_add_rcu and hash_del_rcu, else the block (kzalloc,
 * kfree, kfree_rcu, the callback), or the data area (EV_CTOR, EV_DTOR,
 * EV_RET).  Each is turned into its entry through the layout of the
 * shadow.c under check (layout.c); where an entry is stepped on, published
 * or removed, its obj and id are read from its memory here, in the same
 * atomic step as the link load or store (the shims hold the recorder's
 * mutex around both). */
static void add_obs(int kind, const void *p, int op, int obj, int id, int ok, int ro)
{
	unsigned long ri = 0;

	if (!__atomic_load_n(&recording, __ATOMIC_RELAXED))
		return;
	shim_trace_begin();
	switch (kind) {
	case SHIM_EV_WALK_RCU: case SHIM_EV_WALK: case SHIM_EV_ADD_RCU: case SHIM_EV_DEL_RCU:
		p = trace_layout_block_of_node(p);
		if (p) {
			ro = objidx(trace_layout_obj(p));
			ri = trace_layout_id(p);
		}
		break;
	case EV_CTOR: case EV_DTOR: case EV_RET:
		p = trace_layout_block_of_data(p);
		break;
	}
	/* free_all's walk ends 4096 buckets: consecutive ends of one thread's
	 * walk under the lock are kept as one event with a count (in ok) */
	if (kind == SHIM_EV_WALK && !p && nev > 0 && evs[nev - 1].kind == SHIM_EV_WALK &&
	    !evs[nev - 1].p && evs[nev - 1].t == tidx)
		evs[nev - 1].ok++;
	else if (nev < MAXEV)
		evs[nev++] = (struct ev){ tidx, kind, p, op, obj, id, kind == SHIM_EV_WALK ? 1 : ok, ro, ri };
	else
		overflow = 1;
	shim_trace_end();
}

static void add(int kind, const void *p, int op, int obj, int id, int ok)
{
	add_obs(kind, p, op, obj, id, ok, 0);
}

static __thread uint64_t yrnd;
static void hook(enum shim_event ev, const void *p)
{
	add((int)ev, p, 0, 0, 0, 0);
	/* perturb the schedule (not synchronisation: any interleaving is valid) */
	if (tidx && (yrnd = yrnd * 6364136223846793005ull + 1442695040888963407ull) >> 61 == 0)
		sched_yield();
}

/* ----------------------------------------------------------- operations */
static int ctor_fail_pct = 15;
static __thread uint64_t trnd;
static uint64_t rnd(void)
{
	trnd ^= trnd << 13; trnd ^= trnd >> 7; trnd ^= trnd << 17;
	return trnd;
}

static int ctor(void *obj, void *data, void *arg)
{
	int fail = (int)(intptr_t)arg;

	add_obs(EV_CTOR, data, 0, 0, 0, !fail, objidx(obj));
	if (fail)
		return -ENOMEM;
	memset(data, 0x5a, 8);
	return 0;
}

static void dtor(void *obj, void *data)
{
	add_obs(EV_DTOR, data, 0, 0, 0, 0, objidx(obj));
}

static void call(int op, int o, int id, int allocfail, int ctorfail)
{
	void *r = NULL;

	add(EV_CALL, NULL, op, op == OP_FREEALL ? 0 : o, id, 0);
	shim_alloc_fail_next = allocfail;
	switch (op) {
	case OP_GET: r = klp_shadow_get(objs[o], id); break;
	case OP_ALLOC: r = klp_shadow_alloc(objs[o], id, 16, GFP_NOWAIT, ctor, (void *)(intptr_t)ctorfail); break;
	case OP_GOA: r = klp_shadow_get_or_alloc(objs[o], id, 16, GFP_NOWAIT, ctor, (void *)(intptr_t)ctorfail); break;
	case OP_FREE: klp_shadow_free(objs[o], id, dtor); break;
	case OP_FREEALL: klp_shadow_free_all(id, dtor); break;
	}
	shim_alloc_fail_next = 0;
	add(EV_RET, r, 0, 0, 0, 0);
}

/* ------------------------------------------------------------- runs */
static pthread_barrier_t start;
struct plan { int t, n, op[8], o[8], id[8], af[8], cf[8]; uint64_t seed; };

static void *runner(void *arg)
{
	struct plan *pl = arg;

	shim_register_thread();
	tidx = pl->t;
	yrnd = pl->seed | 1;
	pthread_barrier_wait(&start);
	for (int k = 0; k < pl->n; k++)
		call(pl->op[k], pl->o[k], pl->id[k], pl->af[k], pl->cf[k]);
	return NULL;
}

static void random_run(uint64_t seed)
{
	struct plan pl[3];
	pthread_t th[3];
	int nt;

	trnd = seed | 1;
	nt = 2 + (int)(rnd() % 2);
	for (int t = 0; t < nt; t++) {
		pl[t].t = t + 1;
		pl[t].n = 3 + (int)(rnd() % 4);
		pl[t].seed = rnd();
		for (int k = 0; k < pl[t].n; k++) {
			uint64_t r = rnd();
			int x = (int)(r % 100);
			pl[t].op[k] = x < 25 ? OP_GET : x < 45 ? OP_ALLOC : x < 70 ? OP_GOA : x < 92 ? OP_FREE : OP_FREEALL;
			pl[t].o[k] = 1 + (int)((r >> 8) & 1);
			pl[t].id[k] = 1 + (int)((r >> 9) & 1);
			pl[t].af[k] = (int)((r >> 16) % 100) < 15;
			pl[t].cf[k] = (int)((r >> 24) % 100) < ctor_fail_pct;
		}
	}
	pthread_barrier_init(&start, NULL, nt);
	for (int t = 0; t < nt; t++)
		pthread_create(&th[t], NULL, runner, &pl[t]);
	for (int t = 0; t < nt; t++)
		pthread_join(th[t], NULL);
	pthread_barrier_destroy(&start);
}

/* scenarios, ordered by semaphores from the event hook */
static sem_t s_a, s_b;
static __thread int role, pending;
/* Pauses happen after the step, outside the recorder's mutex. */
static void pause_now(void)
{
	if (!pending)
		return;
	pending = 0;
	sem_post(&s_a);
	sem_wait(&s_b);
}
static void scen_hook(enum shim_event ev, const void *p)
{
	hook(ev, p);
	if ((role == 1 && ev == SHIM_EV_KZALLOC) || (role == 2 && ev == SHIM_EV_WALK_RCU)) {
		role = 0;
		pending = 1;
		if (ev == SHIM_EV_KZALLOC)
			pause_now();	/* kzalloc's event is outside the mutex */
	}
}
static void *scen_t1(void *arg)
{
	shim_register_thread();
	tidx = 1;
	role = (int)(intptr_t)arg;
	shim_after_step = pause_now;
	if (role == 1)
		call(OP_GOA, 1, 1, 0, 0);
	else
		call(OP_GET, 1, 1, 0, 0);
	if (role)		/* never paused (a broken shadow.c): do not hang */
		sem_post(&s_a);
	role = 0;
	shim_after_step = NULL;
	return NULL;
}

static void scenario(int which)
{
	pthread_t a;

	sem_init(&s_a, 0, 0);
	sem_init(&s_b, 0, 0);
	shim_event_hook = scen_hook;
	tidx = 2;
	if (which == 0) {		/* lost race: t1's getOrAlloc allocates; t2's alloc completes */
		pthread_create(&a, NULL, scen_t1, (void *)1);
		sem_wait(&s_a);
		call(OP_ALLOC, 1, 1, 0, 0);
		sem_post(&s_b);
		pthread_join(a, NULL);
	} else if (which == 1) {	/* reader t1 on o2's entry while t2 frees it */
		call(OP_ALLOC, 1, 1, 0, 0);
		call(OP_ALLOC, 2, 1, 0, 0);
		pthread_create(&a, NULL, scen_t1, (void *)2);
		sem_wait(&s_a);
		call(OP_FREE, 2, 1, 0, 0);
		sem_post(&s_b);
		pthread_join(a, NULL);
	} else {			/* free_all of two entries */
		call(OP_ALLOC, 1, 1, 0, 0);
		call(OP_ALLOC, 2, 1, 0, 0);
		call(OP_FREEALL, 0, 1, 0, 0);
	}
	tidx = 0;
	shim_event_hook = hook;
}

/* ------------------------------------------------------- translation */
/* The entries: the blocks kzalloc gave shadow.c in this run, numbered in
 * allocation order (a block freed and allocated again gets a new number). */
struct blk { const void *b; int e; };
static struct blk blks[4096];
static int nblk, nentries;

/* The entry whose block starts at p: 0 for NULL, -1 for a pointer that is
 * no entry's block (written "?": the checker then rejects the step). */
static int entry_of(const void *p)
{
	if (!p)
		return 0;
	for (int k = nblk - 1; k >= 0; k--)
		if (blks[k].b == p)
			return blks[k].e;
	return -1;
}

enum phase { IDLE, G_START, G_FIRST, G_WALK, G_END, A_ALLOC, A_LOCK, A_RECHECK, A_CTOR, A_PUBLISH,
	     A_UNLOCK, A_CTOR_FAIL_UNLOCK, A_CTOR_FAIL_KFREE, A_EXISTS_UNLOCK, A_KFREE,
	     F_START, F_WALK, F_DTOR, F_KFREE, F_UNLOCK, FA_START, FA_SEEK, FA_WALK, FA_DTOR, FA_KFREE, FA_NEXT,
	     DONE };
/* A thread's translation state.  cur: the entry its walk stands on, with
 * cro/cri, the obj and id read from its memory when the link to it was
 * loaded; prev: the entry free_all's walk stood on before cur; rc, rro,
 * rri: where the re-check under the lock stopped, and what it read there. */
struct th { enum phase ph; int op, cur, cro, prev, nulls, rc, rro;
	    unsigned long cri, rri; };

static FILE *out;
static int seq;
static int bad;		/* lines with no translation rule (label "unexpected", "kfree", ...) */
static int at;		/* the event being translated */

/* Per label: lines written at the label's own event ("own"), lines written
 * at a later event of the same thread ("merged": the step has no event of
 * its own, its fields come from the events before it), and the steps with
 * no line at all (a_set: KernelTrace.tla takes it). */
struct lc { char l[24]; long own, merged; };
static struct lc lcs[48];
static int nlc, merged_next;
static long unobserved_a_set;

static void count_label(const char *line)
{
	char l[24];
	int k;

	sscanf(line, "%23s", l);
	for (k = 0; k < nlc && strcmp(lcs[k].l, l); k++)
		;
	if (k == nlc) {
		if (nlc == (int)ARRAY_SIZE(lcs))
			return;
		snprintf(lcs[nlc++].l, sizeof lcs[0].l, "%s", l);
	}
	if (merged_next)
		lcs[k].merged++;
	else
		lcs[k].own++;
}

static void emit(int t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(int t, const char *fmt, ...)
{
	va_list ap;
	char b[200];

	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	count_label(b);
	merged_next = 0;
	if (t)
		fprintf(out, "%d t%d %s\n", ++seq, t, b);
	else
		fprintf(out, "%d - %s\n", ++seq, b);
}
/* The next emit writes a step that has no event of its own. */
#define MERGED() (merged_next = 1)

static const char *objname(int ro)
{
	static const char *n[] = { "-", "o1", "o2", "?" };
	return n[ro & 3];
}

/* " ro=OBJ ri=ID": an entry's obj and id as read from its memory. */
static const char *fields(char *b, size_t n, int ro, unsigned long ri)
{
	snprintf(b, n, " ro=%s ri=%lu", objname(ro), ri);
	return b;
}

/* " res=E": the entry whose data thread t's call returned (0: NULL; "?":
 * a pointer that is no entry's data), from the call's own return (its
 * EV_RET, the next of thread t in the log); "" if the call never returned. */
/* " res=E": the entry whose data the call returned (block p), "?" for no entry's */
static const char *res_of(char *b, size_t n, const void *p)
{
	int e = entry_of(p);

	if (e < 0)
		snprintf(b, n, " res=?");
	else
		snprintf(b, n, " res=%d", e);
	return b;
}

static const char *res_field(char *b, size_t n, int t)
{
	b[0] = 0;
	for (int k = at + 1; k < nev; k++)
		if (evs[k].t == t && evs[k].kind == EV_RET)
			return res_of(b, n, evs[k].p);
	return b;
}

static void unexpected(int t, struct th *s, struct ev *v)
{
	/* an event the translation has no rule for in this phase: written as
	 * such; the checker reports the trace as UNKNOWN-EVENT */
	emit(t, "unexpected event=%d phase=%d", v->kind, s->ph);
	bad++;
}

static void g_unlock(int t, struct th *s)
{
	char wf[64], rb[32];

	if (s->ph == G_WALK) {		/* the walk stopped on cur: a match */
		MERGED();
		emit(t, "g_walk e=%d o=match%s", s->cur, fields(wf, sizeof wf, s->cro, s->cri));
	}
	if (s->op == OP_GET) {
		emit(t, "g_unlock e=%d%s why=value", s->cur, res_field(rb, sizeof rb, t));
		s->ph = DONE;
	} else if (s->cur) {
		emit(t, "g_unlock e=%d%s why=%s", s->cur, res_field(rb, sizeof rb, t),
		     s->op == OP_ALLOC ? "dup" : "exists");
		s->ph = DONE;
	} else {
		emit(t, "g_unlock e=0");
		s->ph = A_ALLOC;
	}
}

static void translate_event(struct th *ths, struct ev *v)
{
	int t = v->t;
	struct th *s = &ths[t];
	char wf[64], rb[32];
	int e = entry_of(v->p);

	if (v->kind == SHIM_EV_RCU_CB) {	/* the RCU callback, any thread */
		emit(0, "rcu_reclaim e=%d", e);
		return;
	}
	if (t == 0)
		return;
	switch (v->kind) {
	case EV_CALL:
		s->op = v->op; s->cur = 0; s->nulls = 0;
		if (v->op == OP_FREEALL)
			emit(t, "Call op=freeAll obj=- id=%d", v->id);
		else
			emit(t, "Call op=%s obj=o%d id=%d", opname[v->op], v->obj, v->id);
		s->ph = v->op <= OP_GOA ? G_START : v->op == OP_FREE ? F_START : FA_START;
		return;
	case EV_RET:
		if (s->ph == A_KFREE || s->ph == A_CTOR_FAIL_KFREE) {
			/* returned where shadow.c kfrees the never-published entry, with no
			 * kfree: the step as observed, freeing nothing (e=0; the checker's
			 * a_kfree frees new[p], so it rejects the step) */
			if (s->ph == A_KFREE)
				emit(t, "a_kfree e=0%s why=%s", res_of(rb, sizeof rb, v->p),
				     s->op == OP_ALLOC ? "dup" : "exists");
			else
				emit(t, "a_ctor_fail_kfree e=0%s why=ctorFail", res_of(rb, sizeof rb, v->p));
			s->ph = DONE;
		}
		if (s->ph == G_WALK || s->ph == G_END)	/* returned without rcu_read_unlock */
			emit(t, "g_return_without_unlock"), bad++, s->ph = DONE;
		if (s->ph != DONE)
			emit(t, "return phase=%d", s->ph), bad++;	/* the operation left a step out */
		s->ph = IDLE;
		return;
	case SHIM_EV_RCU_LOCK:
		if (s->ph == G_START)
			s->ph = G_FIRST;
		return;
	case SHIM_EV_RCU_UNLOCK:
		if (s->ph == G_WALK || s->ph == G_END)
			g_unlock(t, s);
		return;
	case SHIM_EV_WALK_RCU:
		if (s->ph == G_FIRST) {
			emit(t, "g_lock e=%d", e);
			s->ph = e ? G_WALK : G_END;
		} else if (s->ph == G_WALK) {
			emit(t, "g_walk e=%d o=follow n=%d%s", s->cur, e, fields(wf, sizeof wf, s->cro, s->cri));
			if (!e)
				s->ph = G_END;
		} else if (s->ph == A_RECHECK) {
			s->rc = e;		/* the re-check under the lock: its last stop */
			s->rro = v->ro;
			s->rri = v->ri;
			return;
		} else {
			unexpected(t, s, v);
			return;
		}
		s->cur = e;
		s->cro = v->ro;
		s->cri = v->ri;
		return;
	case SHIM_EV_KZALLOC:
		if (s->ph != A_ALLOC)
			return;			/* not shadow.c's allocation */
		if (v->p) {
			e = ++nentries;
			if (nblk < (int)ARRAY_SIZE(blks))
				blks[nblk++] = (struct blk){ v->p, e };
			emit(t, "a_alloc e=%d o=ok", e);
			s->ph = A_LOCK;
		} else {
			emit(t, "a_alloc e=0 o=fail%s why=allocFail", res_field(rb, sizeof rb, t));
			s->ph = DONE;
		}
		return;
	case SHIM_EV_LOCK:
		if (s->ph == A_LOCK) {
			emit(t, "a_lock e=0");
			s->ph = A_RECHECK;
			s->rc = 0;
		} else if (s->ph == F_START) {
			emit(t, "f_lock e=0");
			s->ph = F_WALK;
			s->cur = 0;
		} else if (s->ph == FA_START) {
			s->ph = FA_SEEK;	/* fa_lock is written when the walk reaches the bucket */
			s->nulls = 0;
		} else {
			unexpected(t, s, v);
		}
		return;
	case EV_CTOR:
	case SHIM_EV_ADD_RCU:
		if (s->ph == A_RECHECK) {	/* not found under the lock */
			MERGED();
			emit(t, "a_recheck e=0");
			unobserved_a_set++;	/* a_set: no event (KernelTrace takes it) */
			s->ph = A_CTOR;
		}
		if (v->kind == EV_CTOR) {
			if (s->ph != A_CTOR && s->ph != A_UNLOCK) {
				unexpected(t, s, v);
				return;
			}
			/* the entry whose data the constructor was given, and its obj argument */
			emit(t, "a_ctor e=%d o=%s ro=%s", e, v->ok ? "ok" : "fail", objname(v->ro));
			s->ph = v->ok ? (s->ph == A_UNLOCK ? A_UNLOCK : A_PUBLISH) : A_CTOR_FAIL_UNLOCK;
		} else {
			if (s->ph != A_PUBLISH && s->ph != A_CTOR) {
				unexpected(t, s, v);
				return;
			}
			/* the entry published, with the obj and id in its memory at hash_add_rcu */
			emit(t, "a_publish e=%d%s", e, fields(wf, sizeof wf, v->ro, v->ri));
			s->ph = A_UNLOCK;
		}
		return;
	case SHIM_EV_UNLOCK:
		switch (s->ph) {
		case A_RECHECK:			/* found under the lock */
			MERGED();
			if (s->rc)
				emit(t, "a_recheck e=%d%s", s->rc, fields(wf, sizeof wf, s->rro, s->rri));
			else
				emit(t, "a_recheck e=0");
			emit(t, "a_exists_unlock e=0");
			s->cur = s->rc;
			s->ph = A_KFREE;
			break;
		case A_UNLOCK:
			emit(t, "a_unlock e=0%s why=new", res_field(rb, sizeof rb, t));
			s->ph = DONE;
			break;
		case A_CTOR_FAIL_UNLOCK:
			emit(t, "a_ctor_fail_unlock e=0");
			s->ph = A_CTOR_FAIL_KFREE;
			break;
		case F_WALK:			/* no match */
			MERGED();
			emit(t, "f_walk e=0");
			emit(t, "f_unlock e=0 why=done");	/* void: no res */
			s->ph = DONE;
			break;
		case F_UNLOCK:
			emit(t, "f_unlock e=0 why=done");
			s->ph = DONE;
			break;
		case FA_WALK:
			if (s->cur)
				unexpected(t, s, v);
			MERGED();
			emit(t, "fa_walk e=0 o=end");
			emit(t, "fa_unlock e=0 why=done");
			s->ph = DONE;
			break;
		case FA_SEEK: case FA_DTOR: case FA_KFREE: case FA_NEXT:
			emit(t, "fa_unlock e=0 why=done");	/* free_all left its walk early */
			s->ph = DONE;
			break;
		default:
			unexpected(t, s, v);
		}
		return;
	case SHIM_EV_KFREE:
		if (s->ph == A_KFREE) {
			emit(t, "a_kfree e=%d%s why=%s", e, res_field(rb, sizeof rb, t),
			     s->op == OP_ALLOC ? "dup" : "exists");
			s->ph = DONE;
		} else if (s->ph == A_CTOR_FAIL_KFREE) {
			emit(t, "a_ctor_fail_kfree e=%d%s why=ctorFail", e, res_field(rb, sizeof rb, t));
			s->ph = DONE;
		} else if (s->ph == F_KFREE || s->ph == F_DTOR || s->ph == FA_KFREE || s->ph == FA_DTOR) {
			emit(t, "kfree e=%d", e);	/* a plain kfree where kfree_rcu belongs */
			bad++;
		} else {
			unexpected(t, s, v);
		}
		return;
	case SHIM_EV_WALK:
		if (s->ph == F_WALK) {
			s->cur = e;
			return;
		} else if (s->ph == FA_SEEK) {
			if (!v->p && (unsigned)s->nulls < bucket_b) {
				s->nulls++;
				return;
			}
			emit(t, "fa_lock e=%d", e);	/* the walk reached the bucket */
			s->ph = FA_WALK;
		} else if (s->ph == FA_WALK) {
			if (s->cur)
				emit(t, "fa_walk e=%d o=follow n=%d%s", s->cur, e, fields(wf, sizeof wf, s->cro, s->cri));
			else
				e = 0;		/* past the bucket: the other buckets are not traced */
		} else if (s->ph == FA_NEXT) {
			emit(t, "fa_next e=%d", e);
			s->ph = FA_WALK;
		} else {
			unexpected(t, s, v);
			return;
		}
		if (!e)
			s->nulls++;
		s->prev = s->cur;
		s->cur = e;
		s->cro = v->ro;
		s->cri = v->ri;
		return;
	case SHIM_EV_DEL_RCU:
		if (s->ph == F_WALK) {
			MERGED();
			emit(t, "f_walk e=%d%s", e, fields(wf, sizeof wf, v->ro, v->ri));
			emit(t, "f_del e=%d", e);
			s->cur = e;
			s->ph = F_DTOR;
		} else if (s->ph == FA_WALK && e == s->cur) {
			MERGED();
			emit(t, "fa_walk e=%d o=match%s", e, fields(wf, sizeof wf, s->cro, s->cri));
			emit(t, "fa_del e=%d", e);
			s->ph = FA_DTOR;
		} else if (s->ph == FA_WALK && e && e == s->prev) {
			/* the entry stood on before the link just loaded: the walk loaded
			 * e's forward link before its body ran (hash_for_each_safe's
			 * look-ahead, a refactor the checker names); written as it came */
			emit(t, "fa_del e=%d", e);
			s->cur = e;
			s->ph = FA_DTOR;
		} else {
			unexpected(t, s, v);
		}
		return;
	case EV_DTOR:
		if (s->ph == F_DTOR || s->ph == FA_DTOR) {
			/* the entry whose data the destructor was given, and its obj argument */
			emit(t, "%s e=%d o=called ro=%s", s->ph == F_DTOR ? "f_dtor" : "fa_dtor", e, objname(v->ro));
			s->ph = s->ph == F_DTOR ? F_KFREE : FA_KFREE;
		} else {
			unexpected(t, s, v);
		}
		return;
	case SHIM_EV_KFREE_RCU:
		/* kfree_rcu with no destructor call before it: the destructor was not called */
		if (s->ph == F_DTOR)
			emit(t, "f_dtor e=%d o=notcalled", s->cur), s->ph = F_KFREE;
		if (s->ph == FA_DTOR)
			emit(t, "fa_dtor e=%d o=notcalled", s->cur), s->ph = FA_KFREE;
		if (s->ph == F_KFREE) {
			emit(t, "f_kfree_rcu e=%d", e);
			s->ph = F_UNLOCK;
		} else if (s->ph == FA_KFREE) {
			emit(t, "fa_kfree_rcu e=%d", e);
			s->ph = FA_NEXT;
		} else {
			unexpected(t, s, v);
		}
		return;
	}
}

static void write_trace(const char *name)
{
	struct th ths[4];

	memset(ths, 0, sizeof ths);
	nblk = nentries = 0;
	seq = 0;
	fprintf(out, "trace %s\n", name);
	for (at = 0; at < nev; at++)
		for (int c = 0; c < (evs[at].kind == SHIM_EV_WALK ? evs[at].ok : 1); c++)
			translate_event(ths, &evs[at]);
	fprintf(out, "end\n\n");
}

/* Empty the table (recording off): free_all, then free each key until it
 * is gone (a broken free_all may leave entries); fail if that does not work. */
static void reset_table(void)
{
	__atomic_store_n(&recording, 0, __ATOMIC_SEQ_CST);
	for (int id = 1; id <= 2; id++)
		klp_shadow_free_all(id, NULL);
	for (int o = 1; o <= 2; o++)
		for (int id = 1; id <= 2; id++)
			for (int k = 0; k < 16 && klp_shadow_get(objs[o], id); k++)
				klp_shadow_free(objs[o], id, NULL);
	for (int o = 1; o <= 2; o++)
		for (int id = 1; id <= 2; id++)
			if (klp_shadow_get(objs[o], id)) {
				fprintf(stderr, "trace: the table cannot be emptied between runs\n");
				exit(1);
			}
	rcu_barrier();
	nev = 0;
}

int main(int argc, char **argv)
{
	char name[64];

	if (argc < 4) {
		fprintf(stderr, "usage: trace COUNT SEED FILE\n");
		return 2;
	}
	int count = atoi(argv[1]);
	uint64_t seed = strtoull(argv[2], NULL, 0);
	out = fopen(argv[3], "w");
	if (!out) {
		perror(argv[3]);
		return 2;
	}
	shim_log = fopen("/dev/null", "w");
	shim_register_thread();
	/* o1, o2: two addresses in one bucket of shadow.c's table */
	int n = 0;
	for (size_t off = 8; off < sizeof objspace && n < 2; off += 8)
		if (n == 0 || shim_klp_bucket(objspace + off) == shim_klp_bucket(objs[1]))
			objs[++n] = objspace + off;
	bucket_b = shim_klp_bucket(objs[1]);
	fprintf(out, "# traces of the kernel's shadow.c (kernel-check/trace.c), format model-check/TRACE.md\n");
	fprintf(out, "# count %d, seed %llu, rcu %s\n\n", count, (unsigned long long)seed, shim_rcu_flavour);
	shim_event_hook = hook;
	shim_tracing = 1;
	trnd = seed | 1;
	uint64_t seeds = seed ^ 0x5DEECE66Dull;
	long steps = 0;
	for (int r = 0; r < count; r++) {
		reset_table();
		__atomic_store_n(&recording, 1, __ATOMIC_SEQ_CST);
		if (r < 3) {
			scenario(r);
			snprintf(name, sizeof name, "scenario-%d", r + 1);
		} else {
			seeds = seeds * 6364136223846793005ull + 1442695040888963407ull;
			random_run(seeds);
			snprintf(name, sizeof name, "random-%04d", r + 1);
		}
		rcu_barrier();			/* the callbacks of this run, recorded */
		__atomic_store_n(&recording, 0, __ATOMIC_SEQ_CST);
		write_trace(name);
		steps += seq;
		if (overflow) {
			fprintf(stderr, "trace: event log overflow\n");
			return 1;
		}
	}
	reset_table();
	shim_tracing = 0;
	fclose(out);
	printf("trace: traces=%d steps=%ld untranslatable=%d seed=%llu\n", count, steps, bad,
	       (unsigned long long)seed);
	/* what each label's lines came from (model-check/TRACE.md, "Emitting from C") */
	for (int k = 0; k < nlc; k++)
		printf("trace-label: %s own=%ld merged=%ld unobserved=0\n", lcs[k].l, lcs[k].own, lcs[k].merged);
	printf("trace-label: a_set own=0 merged=0 unobserved=%ld\n", unobserved_a_set);
	return 0;
}
