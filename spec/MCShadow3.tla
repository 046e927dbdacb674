------------------------------ MODULE MCShadow3 ------------------------------
(***************************************************************************)
(* The 3-thread exhaustive model (model-check/Large3x2x1Scripts.cfg) and its  *)
(* reductions: per-thread scripts drawn from a set of kind pairs, and a   *)
(* VIEW that drops what no checked property reads.                        *)
(***************************************************************************)
EXTENDS MCShadow

(* The kinds p may call next, given the set Pairs of kind pairs <<k1,k2>>:*)
(* the first call any first kind, the second one a kind paired with the   *)
(* first (ret[p].op holds the name of p's first operation once it has     *)
(* returned: Call runs only when p is idle, so after that return).         *)
KindsNext(Pairs, p) ==
  IF nOps[p] = 0 THEN {x[1] : x \in Pairs}
  ELSE {x[2] : x \in {y \in Pairs : y[1] = ret[p].op}}

(* Shadow's Step with the call restricted to KindsNext. *)
StepPairs(Pairs, p) ==
  \/ Call(p) /\ op'[p].op \in KindsNext(Pairs, p)
  \/ pc[p] # "idle" /\ Step(p)

(* The kind pairs of the 3-thread model: every thread draws its script   *)
(* from these (objects free).  Each kind is in one of them, so any kinds  *)
(* can run at once on different threads; see Large3x2x1Scripts.cfg.       *)
Pairs3 == {<<"alloc", "free">>, <<"getOrAlloc", "freeAll">>, <<"get", "get">>}

Step3(p) == StepPairs(Pairs3, p)
Spec3 == HInit /\ [][HNextOf(Step3)]_hvars

(* The VIEW: every variable except what no checked property and no step  *)
(* reads.  Of ret only the kind of an idle thread's first operation is    *)
(* kept (KindsNext reads it at the next call); ctorCalls only while its   *)
(* operation runs (Linearizable reads it at the return, Refinement while  *)
(* ret is NoRet, when FullRet ignores it); faDone, faCallWhileLocked and  *)
(* faNilAfter not at all (only FreeAllAtomic and a witness read them).    *)
View == <<pc, op, nOps, cur, new, bkt, lock, inRead, head, next, eobj, eid,
          estate, waitFor, seen, eff,
          [p \in Procs |-> IF pc[p] = "idle" THEN ret[p].op ELSE "none"],
          [p \in Procs |-> IF Busy(p) THEN ctorCalls[p] ELSE 0],
          ctorDone, dtorCount, gpOwed>>
=============================================================================
