---------------------------- MODULE KernelTrace ----------------------------
(***************************************************************************)
(* Trace validation of the kernel's own shadow.c (kernel-check/), and of  *)
(* any port that emits the trace format of model-check/TRACE.md.          *)
(*                                                                         *)
(* It EXTENDS ShadowTrace (the Java traces' module) and depends on         *)
(* Shadow only through it: Step, pc, op, Procs, rcu_reclaim and the trace  *)
(* variables tr and i.  What differs for C:                               *)
(*                                                                         *)
(* 1. Unobserved steps.  a_set (new->obj = obj; new->id = id: plain       *)
(*    stores into an entry no other thread can reach) has no C event.     *)
(*    KernelNext takes it itself, at once, whenever a process stands at    *)
(*    it, before the next record is matched; so each a_set adds one state  *)
(*    (the kit counts them: one per a_recheck record that found nothing). *)
(*                                                                         *)
(* 2. Merged steps, done by the emitter (model-check/TRACE.md): the match *)
(*    reads of a walk (klp_shadow_match) are not events; a walk that stops *)
(*    on an entry is written as g_walk o=match at the rcu_read_unlock that *)
(*    follows it; the re-check under the lock (klp_shadow_get again,       *)
(*    arriving as an RCU walk) is written as one a_recheck at the first   *)
(*    event after it; free's walk under the lock as one f_walk; free_all's *)
(*    fa_lock when its walk reaches the bucket the traced objects share.  *)
(*    All of these happen under the lock or read fields that no step can  *)
(*    change meanwhile (obj and id of a published entry), so the merged    *)
(*    step has the same effect at either point.                            *)
(*                                                                         *)
(* 3. Completeness: a trace is accepted only if at its end every process  *)
(*    is idle or done (every operation recorded to its return).  Without  *)
(*    this a C operation that stops half-way (a seeded leak of the        *)
(*    speculative entry: no a_kfree) would be accepted as a prefix.        *)
(*    The kit reports such a trace INCOMPLETE.                             *)
(*                                                                         *)
(* 4. Observations.  KernelNext matches labels AND the observations      *)
(*    (ShadowTrace!Observed) on the spec's state: the values the C code   *)
(*    returned (res), the obj and id read from an entry's memory (ro, ri), *)
(*    the constructor's and destructor's calls and arguments.  A record   *)
(*    without an optional observation leaves it unconstrained.  The kit   *)
(*    sorts a rejection into a verdict (model-check/TRACE.md, "Verdicts"):  *)
(*    the labels' control flow is KernelShape.tla's CFG, followed in Java; *)
(*    a rejected returning step matched with its res left out is RESULT.   *)
(*    The kit's batch module EXTENDS this one and ShadowProperties, and    *)
(*    its model lists the invariants and Linearizable, RefinementStep: a   *)
(*    violation on a trace's state or step is PROPERTY with its name.      *)
(***************************************************************************)
EXTENDS ShadowTrace

(* The labels with no event in the C code. *)
Unobserved == {"a_set"}

Pending == {p \in Procs : pc[p] \in Unobserved}

(* Every operation has returned. *)
AllIdle == \A p \in Procs : pc[p] = "idle"

(* Take the unobserved step of a pending process (there is at most one:   *)
(* a_set follows a_recheck of the same process at once).                   *)
UnobservedStep ==
  /\ Pending # {}
  /\ \E p \in {CHOOSE q \in Pending : TRUE} : TraceStep(p) /\ HStep(p)
  /\ UNCHANGED <<tr, i>>

(* Record r of the trace matched by a step of the spec.                    *)
MatchRecord(Traces) ==
  /\ Match(Traces[tr][i])
  /\ i' = i + 1
  /\ UNCHANGED tr

(* 5. Every trace of a batch gets its verdict in one TLC run.  Where no    *)
(* step of the spec matches the next record, the run does not deadlock:    *)
(* it prints <<"rejected", tr, i>> (i: the record no step matches) and     *)
(* moves to a sink state of its own (i = Len + 2); a trace matched to its  *)
(* end with a process not idle prints <<"incomplete", tr, i>>.  The kit    *)
(* reads these lines (KernelTraceCheck).  The end of a trace in Prefixes   *)
(* (a set of indices of Traces) needs nothing: the kit checks the part of  *)
(* a trace before a step it has no rule for, or of a truncated trace, and  *)
(* a prefix ending in a rejected returning step, with its res left out.    *)
Reject(Traces, what) ==
  /\ PrintT(<<what, tr, i, lock, pc>>)   \* with the lock holder and the pcs there
  /\ i' = Len(Traces[tr]) + 2
  /\ UNCHANGED <<hvars, tr>>

KernelStep(Traces, Prefixes) ==
  \/ UnobservedStep
  \/ /\ Pending = {}
     /\ i <= Len(Traces[tr])
     /\ MatchRecord(Traces)
  \/ /\ Pending = {}
     /\ i <= Len(Traces[tr])
     /\ ~ENABLED MatchRecord(Traces)
     /\ Reject(Traces, "rejected")
  \/ /\ Pending = {}
     /\ i = Len(Traces[tr]) + 1
     /\ AllIdle \/ tr \in Prefixes
     /\ UNCHANGED traceVars
  \/ /\ Pending = {}
     /\ i = Len(Traces[tr]) + 1
     /\ tr \notin Prefixes /\ ~AllIdle
     /\ Reject(Traces, "incomplete")
  \/ /\ i = Len(Traces[tr]) + 2   \* the sink of a rejected trace
     /\ UNCHANGED traceVars

KernelNext(Traces) == KernelStep(Traces, {})

(* A prefix of a trace: its records matched, whatever the end state. *)
KernelPrefixNext(Traces) == KernelStep(Traces, DOMAIN Traces)

=============================================================================
