---------------------------- MODULE ShadowTrace ----------------------------
(***************************************************************************)
(* Trace validation: is a run of the Java implementation a behaviour of   *)
(* the algorithm spec (Shadow)?                                            *)
(*                                                                         *)
(* The Java table, traced by src/test/java/io/github/shadowvars/         *)
(* StepRecorder.java, logs its steps at the granularity of Shadow's       *)
(* labels, each step atomic with respect to the others and numbered in    *)
(* one global order.  A test (src/test/java/io/github/shadowvars/TraceCheckTest)    *)
(* turns a batch of such logs into a module that EXTENDS this one and     *)
(* defines a sequence of traces (Traces below), each a sequence of step   *)
(* records, and checks TraceInit(Traces) and TraceNext(Traces).            *)
(* A record has the fields                                                 *)
(*   p      the thread that took the step (a process of Procs)            *)
(*   l      the label ("Call" for the call of an operation)               *)
(* and, depending on the label, the observations the Java code made:      *)
(*   op     Call: the operation record (as ShadowOps!Ops)                         *)
(*   e      the entry the step is about (Nil for none)                     *)
(*   o      the outcome, for a step that can end more than one way         *)
(*   n      g_walk/fa_walk "follow" or "nextBucket": the entry stepped to  *)
(*   ro, ri g_walk/fa_walk on an entry: the obj and id fields read there   *)
(*   res, why   a step that returns: the value returned and why            *)
(* Java entries are mapped to the spec's entries by the generator, which  *)
(* replays the spec's allocator (the least free entry of Entries = 1..N;  *)
(* kfree'd entries return to the pool, reclaimed ones never do).          *)
(*                                                                         *)
(* The check: TraceNext takes, from a state at position i of trace tr,    *)
(* the spec step of process Traces[tr][i].p at label Traces[tr][i].l      *)
(* (pc must be at that label: Step(p) is the disjunction of p's labelled  *)
(* actions, each guarded by its pc) whose effect agrees with the record's *)
(* observations, and advances i.  At the end of a trace it stutters.  So  *)
(* a state from which no step is possible is a position where the trace   *)
(* leaves the spec: TLC reports it as a DEADLOCK (exit code 11), the      *)
(* error trace showing tr and the longest matched prefix i - 1.  No      *)
(* deadlock (exit code 0) means every trace of the batch was matched to   *)
(* its end; the test also checks that TLC found exactly                   *)
(* Sum(Len(trace) + 1) distinct states, i.e. each trace was matched along *)
(* one path, every record consumed.                                        *)
(*                                                                         *)
(* The model (constants) is in the generated .cfg.  The step matched is   *)
(* TraceStep, Shadow's Step with the history variables of ShadowAux; a    *)
(* test that checks traces against a seeded-bug variant of Shadow          *)
(* overrides it in the .cfg (TraceStep <- StepLockNotReader, module        *)
(* ShadowMutants).                                                         *)
(***************************************************************************)
EXTENDS ShadowMutants, TLC

CONSTANTS
    t1, t2, t3, \* thread names (model values)
    o1, o2,     \* object names (model values)
    i1, i2      \* id names (model values)

VARIABLES
    tr,         \* the trace being matched: an index into Traces
    i           \* the position of the next record to match in Traces[tr]

(* All variables: the spec's and the trace position. *)
traceVars == <<hvars, tr, i>>

(* The algorithm's step of process p (overridden for a variant). *)
TraceStep(p) == Step(p)

(* Every object in bucket 0 (the Java tables run with bucketBits 0). *)
TraceHash == [o \in Objs |-> 0]

(* The threads choose their operations freely: the Call record fixes    *)
(* which one (see Match).                                                  *)
TraceScript == [p \in Procs |-> <<>>]

(* "res" and "why" agree with p's result after a returning step ("res"   *)
(* absent: the return value was not observed, e.g. a void C function).   *)
(* "why" is not an observation: the recorders write the return point     *)
(* their events took (label and operation); "res" is the observed value.  *)
Returns(r) == /\ "res" \in DOMAIN r => ret'[r.p].val = r.res
              /\ ret'[r.p].why = r.why

(* Optional observations (the C recorder's): "ro"/"ri", the obj and id   *)
(* read from entry e's memory, agree with the spec's fields of e.        *)
ReadsFields(r) == ("ro" \in DOMAIN r /\ r.e # Nil) =>
                    /\ eobj[r.e] = r.ro
                    /\ "ri" \in DOMAIN r => eid[r.e] = r.ri

(* fa_walk: a match goes on to fa_del; no match follows the next link   *)
(* (or, at the end of a bucket, goes to the next bucket's head); after    *)
(* the last bucket freeAll unlocks.                                        *)
FaWalkObserved(r) ==
  CASE r.o = "match" -> pc'[r.p] = "fa_del"
    [] r.o \in {"follow", "nextBucket"} -> pc'[r.p] = "fa_walk" /\ cur'[r.p] = r.n
    [] r.o = "end" -> pc'[r.p] = "fa_unlock"

(* The observations of record r hold of the step just taken (unprimed:   *)
(* before it; primed: after it).                                           *)
Observed(r) ==
  LET p == r.p IN
  CASE r.l = "Call" -> op'[p] = r.op
    [] r.l = "g_lock" -> cur'[p] = r.e
    [] r.l = "g_walk" -> /\ cur[p] = r.e
                         /\ eobj[r.e] = r.ro /\ eid[r.e] = r.ri
                         /\ cur'[p] = IF r.o = "match" THEN r.e ELSE r.n
                         /\ r.o = "match" => pc'[p] = "g_unlock"
    [] r.l = "g_unlock" -> /\ cur[p] = r.e
                           /\ "why" \in DOMAIN r => Returns(r)
                           /\ "why" \notin DOMAIN r => pc'[p] = "a_alloc"
    [] r.l = "a_alloc" -> IF r.o = "ok" THEN new'[p] = r.e /\ pc'[p] = "a_lock"
                                        ELSE Returns(r)
    [] r.l = "a_recheck" -> /\ IF r.e = Nil THEN pc'[p] = "a_set"
                               ELSE pc'[p] = "a_exists_unlock" /\ cur'[p] = r.e
                            /\ ReadsFields(r)
    [] r.l = "a_kfree" -> new[p] = r.e /\ Returns(r)
    [] r.l = "a_set" -> "e" \in DOMAIN r => new[p] = r.e  \* unobserved: no e
    [] r.l = "a_publish" -> new[p] = r.e /\ ReadsFields(r)
    [] r.l = "a_ctor" -> /\ new[p] = r.e
                         /\ (r.o = "ok") = (pc'[p] # "a_ctor_fail_unlock")
                         /\ "ro" \in DOMAIN r => r.ro = op[p].obj  \* the obj argument
    [] r.l = "a_ctor_fail_kfree" -> new[p] = r.e /\ Returns(r)
    [] r.l \in {"a_unlock", "f_unlock", "fa_unlock"} -> Returns(r)
    [] r.l \in {"f_walk", "fa_lock", "fa_next"} -> cur'[p] = r.e /\ ReadsFields(r)
    [] r.l \in {"f_del", "f_kfree_rcu", "fa_del", "fa_kfree_rcu"} -> cur[p] = r.e
    [] r.l \in {"f_dtor", "fa_dtor"} ->
         /\ cur[p] = r.e
         /\ dtorCount'[r.e] = dtorCount[r.e] + (IF r.o = "called" THEN 1 ELSE 0)
         /\ ReadsFields(r)  \* the destructor's obj argument: the entry's obj
    [] r.l = "fa_walk" -> /\ cur[p] = r.e
                          /\ r.e # Nil => eobj[r.e] = r.ro /\ eid[r.e] = r.ri
                          /\ FaWalkObserved(r)
    [] OTHER -> TRUE  \* a_lock, a_exists_unlock, a_ctor_fail_unlock, f_lock

(* Match record r: the RCU callback reclaiming r.e, or the step of       *)
(* process r.p at label r.l.                                               *)
Match(r) ==
  IF r.l = "rcu_reclaim"
    THEN /\ Reclaim /\ UNCHANGED auxVars
         /\ estate[r.e] = "gp_wait" /\ estate'[r.e] = "reclaimed"
    ELSE \E p \in {r.p} :  \* (p bound to a value: TLC 2.18 loses the state
                           \* when it evaluates r.p lazily two operators deep)
           /\ pc[p] = IF r.l = "Call" THEN "idle" ELSE r.l
           /\ TraceStep(p)
           /\ HStep(p)
           /\ Observed(r)

(* Traces is the batch: a sequence of traces.  (It is an argument, not a  *)
(* CONSTANT: TLC re-evaluates a constant substituted with "<-" by a       *)
(* definition at each use, which made a batch of 60 traces 7 times        *)
(* slower; a zero-arity definition passed as an argument is evaluated     *)
(* once.)                                                                  *)
TraceInit(Traces) == HInit /\ tr \in DOMAIN Traces /\ i = 1

TraceNext(Traces) ==
  \/ /\ i <= Len(Traces[tr])
     /\ Match(Traces[tr][i])
     /\ i' = i + 1
     /\ UNCHANGED tr
  \/ /\ i > Len(Traces[tr])     \* the whole trace is matched: stutter
     /\ UNCHANGED traceVars

(* The behaviours that follow one trace of the batch to its end. *)
TraceSpec(Traces) == TraceInit(Traces) /\ [][TraceNext(Traces)]_traceVars
=============================================================================
