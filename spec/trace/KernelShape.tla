---------------------------- MODULE KernelShape ----------------------------
(***************************************************************************)
(* The shape check of a trace (model-check/TRACE.md): do each thread's    *)
(* labels follow the control flow of spec/Shadow.tla, whatever the data?  *)
(* It depends on Shadow only through the label names and the control-flow *)
(* graph CFG below, written out from spec/Shadow.tla (model-check/         *)
(* labels.tsv): a change of Shadow's step structure must be made here too.*)
(*                                                                         *)
(* io.github.shadowvars.kit.KernelTraceCheck reads CFG and Unobserved     *)
(* from this file and follows a rejected trace's labels along them (the   *)
(* verdict PROPERTY StepOrder when they leave it; model-check/TRACE.md).  *)
(* ShapeInit/ShapeNext/NotAtEnd below state the same check in TLA+ (with  *)
(* deadlock checking off and the invariant NotAtEnd, a violation is a     *)
(* path that follows the whole trace); the kit no longer runs TLC on it.  *)
(***************************************************************************)
EXTENDS Naturals, Sequences, TLC

CONSTANTS t1, t2, t3, o1, o2, i1, i2, Nil

Procs == {t1, t2, t3}

VARIABLES pc, tr, i

(* The labels a process can be at after a step at label l (Bug = "none"); *)
(* "idle": the operation returned.                                         *)
CFG ==
  [g_lock |-> {"g_walk", "g_unlock"},
   g_walk |-> {"g_walk", "g_unlock"},
   g_unlock |-> {"idle", "a_alloc"},
   a_alloc |-> {"a_lock", "idle"},
   a_lock |-> {"a_recheck"},
   a_recheck |-> {"a_exists_unlock", "a_set"},
   a_exists_unlock |-> {"a_kfree"},
   a_kfree |-> {"idle"},
   a_set |-> {"a_ctor", "a_publish"},
   a_ctor |-> {"a_publish", "a_ctor_fail_unlock"},
   a_ctor_fail_unlock |-> {"a_ctor_fail_kfree"},
   a_ctor_fail_kfree |-> {"idle"},
   a_publish |-> {"a_unlock"},
   a_unlock |-> {"idle"},
   f_lock |-> {"f_walk"},
   f_walk |-> {"f_del", "f_unlock"},
   f_del |-> {"f_dtor"},
   f_dtor |-> {"f_kfree_rcu"},
   f_kfree_rcu |-> {"f_unlock"},
   f_unlock |-> {"idle"},
   fa_lock |-> {"fa_walk"},
   fa_walk |-> {"fa_walk", "fa_del", "fa_unlock"},
   fa_del |-> {"fa_dtor"},
   fa_dtor |-> {"fa_kfree_rcu"},
   fa_kfree_rcu |-> {"fa_next"},
   fa_next |-> {"fa_walk"},
   fa_unlock |-> {"idle"}]

(* The labels with no event in the C code (KernelTrace's Unobserved). *)
Unobserved == {"a_set"}

(* The first label of an operation. *)
FirstLabel(o) == CASE o.op \in {"get", "alloc", "getOrAlloc"} -> "g_lock"
                   [] o.op = "free" -> "f_lock"
                   [] o.op = "freeAll" -> "fa_lock"

Pending == {p \in Procs : pc[p] \in Unobserved}
AllIdle == \A p \in Procs : pc[p] = "idle"

ShapeInit(Traces) ==
  /\ pc = [p \in Procs |-> "idle"]
  /\ tr \in DOMAIN Traces
  /\ i = 1

(* Record r: its thread is at r.l and moves to any CFG successor. *)
ShapeMatch(r) ==
  IF r.l = "rcu_reclaim"
    THEN UNCHANGED pc
    ELSE /\ r.l = "Call" \/ r.l \in DOMAIN CFG
         /\ pc[r.p] = IF r.l = "Call" THEN "idle" ELSE r.l
         /\ \E l \in (IF r.l = "Call" THEN {FirstLabel(r.op)} ELSE CFG[r.l]) :
              pc' = [pc EXCEPT ![r.p] = l]

ShapeNext(Traces) ==
  \/ /\ Pending # {}
     /\ LET p == CHOOSE p \in Pending : TRUE IN
          \E l \in CFG[pc[p]] : pc' = [pc EXCEPT ![p] = l]
     /\ UNCHANGED <<tr, i>>
  \/ /\ Pending = {}
     /\ i <= Len(Traces[tr])
     /\ ShapeMatch(Traces[tr][i])
     /\ i' = i + 1
     /\ UNCHANGED tr
  \/ /\ Pending = {}
     /\ i > Len(Traces[tr])
     /\ UNCHANGED <<pc, tr, i>>

(* Violated exactly when a path has followed the whole trace and every   *)
(* operation returned.                                                     *)
NotAtEnd(Traces) == ~(i > Len(Traces[tr]) /\ Pending = {} /\ AllIdle)
=============================================================================
