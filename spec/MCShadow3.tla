------------------------------ MODULE MCShadow3 ------------------------------
(***************************************************************************)
(* The 3-thread exhaustive models and their reductions: the free-choice   *)
(* model (model-check/Large3x2x1.cfg: ViewFree, PoolNotExhausted), the     *)
(* scripted one (Large3x2x1Scripts.cfg: per-thread scripts drawn from a    *)
(* set of kind pairs, View); the three-keys-in-one-bucket model            *)
(* (OneBucket3Keys.cfg, Witness_ThreeInChain.cfg).                          *)
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
  \/ CallNext(p) /\ op'[p].op \in KindsNext(Pairs, p)
  \/ pc[p] # "idle" /\ Step(p)

(* The kind pairs of the 3-thread model: every thread draws its script   *)
(* from these (objects free).  Each kind is in one of them, so any kinds  *)
(* can run at once on different threads; see Large3x2x1Scripts.cfg.       *)
Pairs3 == {<<"alloc", "free">>, <<"getOrAlloc", "freeAll">>, <<"get", "get">>}

Step3(p) == StepPairs(Pairs3, p)
Spec3 == HInit /\ [][HNextOf(Step3)]_hvars

(* The three-keys-in-one-bucket model (model-check/OneBucket3Keys.cfg):   *)
(* the table starts with one published entry, of any object (a state an   *)
(* earlier alloc reaches; the initial states are symmetric in the          *)
(* objects), and the threads then run as in Shadow: with 3 objects in one *)
(* bucket their allocations make a chain of 3 entries, on which the other *)
(* thread's get, free and freeAll run.                                      *)
InitOneEntry ==
  LET e == CHOOSE x \in Entries : TRUE IN
  \E o \in Objs :
    /\ pc = [p \in Procs |-> "idle"]
    /\ op = [p \in Procs |-> NoOp]
    /\ nOps = [p \in Procs |-> 0]
    /\ cur = [p \in Procs |-> Nil]
    /\ new = [p \in Procs |-> Nil]
    /\ bkt = [p \in Procs |-> Nil]
    /\ ret = [p \in Procs |-> NoRet]
    /\ lock = Nil
    /\ inRead = [p \in Procs |-> FALSE]
    /\ head = [b \in Buckets |-> IF b = Hash[o] THEN e ELSE Nil]
    /\ next = [x \in Entries |-> Nil]
    /\ eobj = [x \in Entries |-> IF x = e THEN o ELSE Nil]
    /\ eid = [x \in Entries |-> IF x = e THEN CHOOSE i \in Ids : TRUE ELSE Nil]
    /\ estate = [x \in Entries |-> IF x = e THEN "published" ELSE "free"]
    /\ waitFor = [x \in Entries |-> {}]
    /\ seen = [p \in Procs |-> {}]
    /\ eff = [p \in Procs |-> Nil]
    /\ ctorCalls = [p \in Procs |-> 0]
    /\ ctorDone = [x \in Entries |-> x = e /\ CtorGiven]
    /\ dtorCount = [x \in Entries |-> 0]
    /\ gpOwed = [x \in Entries |-> {}]
    /\ faDone = [p \in Procs |-> {}]
    /\ faCallWhileLocked = [p \in Procs |-> {}]
    /\ faNilAfter = [p \in Procs |-> {}]
SpecOneEntry == InitOneEntry /\ [][HNext]_hvars

(* The VIEW: every variable except what no checked property and no step  *)
(* reads.  Of ret only the kind of the first operation of a thread idle  *)
(* with a call left is kept (KindsNext reads it at that call); ctorCalls  *)
(* only while its operation runs (Linearizable reads it at the return,    *)
(* Refinement while ret is NoRet, when FullRet ignores it); faDone,       *)
(* faCallWhileLocked and faNilAfter not at all (only FreeAllAtomic and a  *)
(* witness read them).                                                     *)
View == <<pc, op, nOps, cur, new, bkt, lock, inRead, head, next, eobj, eid,
          estate, waitFor, seen, eff,
          [p \in Procs |-> IF pc[p] = "idle" /\ ~Done(p) THEN ret[p].op ELSE "none"],
          [p \in Procs |-> IF Busy(p) THEN ctorCalls[p] ELSE 0],
          ctorDone, dtorCount, gpOwed>>

(* The free-choice 3-thread model (model-check/Large3x2x1.cfg): every     *)
(* thread chooses its operations freely, so no step reads ret (Shadow's   *)
(* steps never do; NextOps reads only nOps), and the VIEW drops ret       *)
(* entirely.  The properties read ret only where this is sound: TypeOK    *)
(* its type; Linearizable ret' at a return step (set by that step);       *)
(* Refinement maps it to the abstract ret, which a call sets to NoRet and *)
(* a return sets to the result whatever it was, and every other step of  *)
(* both specs leaves unchanged, so no step's check depends on its old     *)
(* value.  The rest as View.                                               *)
ViewFree ==
  <<pc, op, nOps, cur, new, bkt, lock, inRead, head, next, eobj, eid,
    estate, waitFor, seen, eff,
    [p \in Procs |-> IF Busy(p) THEN ctorCalls[p] ELSE 0],
    ctorDone, dtorCount, gpOwed>>

(* The pool never runs dry, so no allocation fails for want of an entry  *)
(* (only by AllocFail's choice): the model's pool is large enough.  With *)
(* 3 threads x 2 operations on 2 keys: an allocation that is kfreed      *)
(* returns its entry to the pool, so at most one entry per alloc or       *)
(* getOrAlloc call is out of the pool; six such calls remove nothing, so  *)
(* at most 2 of them publish and 3 hold a private entry at once: 5 (the   *)
(* old Large3x2x1 had 6).                                                  *)
(* Checked as an invariant by Large3x2x1.cfg.                              *)
PoolNotExhausted ==
  \A p \in Procs : pc[p] = "a_alloc" => \E e \in Entries : estate[e] = "free"
=============================================================================
