---------------------------- MODULE ShadowDriver ----------------------------
(***************************************************************************)
(* The test driver of the models: which operations each thread of module *)
(* Shadow calls, and the specification of Shadow with it.  A thread runs  *)
(* its Script, or chooses freely among OpKinds for Budget calls; nOps     *)
(* counts its calls.  After its last return a thread stays idle (Done).   *)
(* The models extend this module through ShadowAux (MCShadow, MCMutants,   *)
(* ShadowLive, ...); the algorithm itself is in Shadow.                    *)
(***************************************************************************)
EXTENDS Shadow, Sequences

CONSTANTS
    Script,     \* Script[p]: p's sequence of operations, or <<>> = free choice
    Budget,     \* with free choice: how many operations p runs
    OpKinds     \* with free choice: the operation names p may choose from

ASSUME \A p \in Procs : Script[p] \in Seq(Ops \cup {ExpungeOp})  \* expunge: ShadowWeak's
ASSUME Budget \in Nat /\ OpKinds \subseteq OpNames

VARIABLE nOps   \* nOps[p]: how many operations p has called

vars == <<procVars, heapVars, nOps>>

(* How many operations p runs in all. *)
Limit(p) == IF Script[p] = <<>> THEN Budget ELSE Len(Script[p])

(* The operations of the kinds OpKinds (a constant: TLC computes it once). *)
KindOps == {o \in Ops : o.op \in OpKinds}

(* The operations p may call next. *)
NextOps(p) == IF Script[p] = <<>> THEN KindOps ELSE {Script[p][nOps[p] + 1]}

(* p has an operation in progress; p has returned from its last one. *)
Busy(p) == pc[p] # "idle"
Done(p) == pc[p] = "idle" /\ nOps[p] = Limit(p)

DInit == Init /\ nOps = [p \in Procs |-> 0]

(* p calls its next operation, with the call step C(p, o) of the         *)
(* algorithm (Shadow's Call, or a seeded bug's).                           *)
CallNextWith(C(_, _), p) ==
  /\ pc[p] = "idle" /\ nOps[p] < Limit(p)
  /\ \E o \in NextOps(p) : C(p, o)
  /\ nOps' = [nOps EXCEPT ![p] = @ + 1]

CallNext(p) == CallNextWith(Call, p)

(* One step of process p: its next call, or a step of its operation. *)
Step(p) == CallNext(p) \/ (OpStep(p) /\ UNCHANGED nOps)

(* The RCU callback. *)
Reclaim == rcu_reclaim /\ UNCHANGED nOps

(* Every process is done and every grace period has ended: the system    *)
(* stops (stuttering, so TLC does not report it as a deadlock).            *)
Finished ==
  /\ \A p \in Procs : Done(p)
  /\ \A e \in Entries : estate[e] # "gp_wait"
  /\ UNCHANGED vars

Next == (\E p \in Procs : Step(p)) \/ Reclaim \/ Finished

(* Weak fairness: a process that can take a step takes one; the RCU     *)
(* callback runs once a grace period has ended.                           *)
Fairness == (\A p \in Procs : WF_vars(Step(p))) /\ WF_vars(Reclaim)

Spec == DInit /\ [][Next]_vars /\ Fairness
=============================================================================
