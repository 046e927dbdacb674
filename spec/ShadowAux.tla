------------------------------ MODULE ShadowAux ------------------------------
(***************************************************************************)
(* History variables for the algorithm of module Shadow, added as in      *)
(* Lamport and Merz, "Auxiliary Variables in TLA+" (2017): each step of   *)
(* Shadow (as the test driver, ShadowDriver, runs it) is conjoined with   *)
(* an update of the history variables that reads the step's algorithm    *)
(* variables (unprimed and primed) and never changes them, and the        *)
(* history variables start at fixed values.  So the behaviours of HSpec, *)
(* with the history variables hidden, are exactly those of Spec; the      *)
(* properties (ShadowProperties) may read them.                            *)
(*                                                                         *)
(* The history variables:                                                  *)
(*   seen, eff     the linearizability history of the operation in        *)
(*                 progress (the values its key held, its own effect)     *)
(*   ctorCalls     the constructor calls of p's current (or last)         *)
(*                 operation; the result record's ctors field              *)
(*   ctorDone      the constructor has run successfully on the entry      *)
(*   dtorCount     how many times the destructor ran on the entry         *)
(*   gpOwed        the processes inside a read-side section (by their     *)
(*                 program position, not by the algorithm's inRead, lock  *)
(*                 or waitFor) at the entry's kfree_rcu, still inside     *)
(*   faDone, faCallWhileLocked, faNilAfter   what freeAll removed, and    *)
(*                 the reader pattern ShadowProperties!FreeAllAtomic needs *)
(* The update is written per variable as a function of the label p's step *)
(* starts at (pc[p]), which names the C step it takes.                     *)
(***************************************************************************)
EXTENDS ShadowDriver

VARIABLES
    seen,      \* seen[p]: values of p's key during p's current operation
    eff,       \* eff[p]: the entry p's operation published or unlinked
    ctorCalls, \* ctorCalls[p]: constructor calls in p's current/last operation
    ctorDone,  \* ctorDone[e]: the constructor has run (successfully) on e
    dtorCount, \* dtorCount[e]: how many times the destructor ran on e
    gpOwed,    \* gpOwed[e]: processes inside at e's kfree_rcu, still inside
    faDone,    \* faDone[p]: the entries p's current freeAll has unlinked
    faCallWhileLocked, \* faCallWhileLocked[q]: freeAlls holding the lock at
                       \* q's get call while q's key was present
    faNilAfter \* faNilAfter[q]: freeAlls during which q got Nil for a key
               \* the freeAll removed (see ShadowProperties!FreeAllAtomic)

auxVars == <<seen, eff, ctorCalls, ctorDone, dtorCount, gpOwed, faDone,
             faCallWhileLocked, faNilAfter>>
hvars == <<vars, auxVars>>

(* The table as the abstract map: each key to the entry a walk of its    *)
(* bucket finds (with UniqueKey, the one reachable entry with that key).  *)
AMap == [k \in Keys |-> Lookup(k)]

(* The result record of the abstract spec: Shadow's result and the       *)
(* constructor calls of the operation.                                     *)
FullRet(r, c) == IF r = NoRet THEN Rec("none", Nil, "none", 0)
                 ELSE Rec(r.op, r.val, r.why, c)

(* The labels inside the spinlock's critical section (the lock is held    *)
(* by a process at any of them, including the *_unlock labels).           *)
LockedLabels ==
  {"a_recheck", "a_exists_unlock", "a_set", "a_ctor", "a_ctor_fail_unlock",
   "a_publish", "a_unlock",
   "f_walk", "f_del", "f_dtor", "f_kfree_rcu", "f_unlock",
   "fa_walk", "fa_del", "fa_dtor", "fa_kfree_rcu", "fa_next", "fa_unlock"}

(* The labels of the weak table's expunge under the lock (module          *)
(* ShadowWeak).  The models of this module never reach them; they are     *)
(* here so that one history update serves both tables.                     *)
ExpungeLockedLabels == {"x_walk", "x_del", "x_kfree_rcu", "x_unlock"}

(* The program positions inside an RCU read-side critical section:       *)
(* between rcu_read_lock and rcu_read_unlock, or with interrupts disabled *)
(* by spin_lock_irqsave.                                                   *)
SectionLabels == {"g_walk", "g_unlock"} \cup LockedLabels \cup ExpungeLockedLabels

(* The history update when key k starts to hold value v: every busy      *)
(* process whose operation is on k adds v to its history.                 *)
SeenAdd(k, v) ==
  [q \in Procs |-> IF Busy(q) /\ op[q].op # "freeAll" /\ KeyOf(op[q]) = k
                     THEN seen[q] \cup {v} ELSE seen[q]]

HInit ==
  /\ DInit
  /\ seen = [p \in Procs |-> {}]
  /\ eff = [p \in Procs |-> Nil]
  /\ ctorCalls = [p \in Procs |-> 0]
  /\ ctorDone = [e \in Entries |-> FALSE]
  /\ dtorCount = [e \in Entries |-> 0]
  /\ gpOwed = [e \in Entries |-> {}]
  /\ faDone = [p \in Procs |-> {}]
  /\ faCallWhileLocked = [p \in Procs |-> {}]
  /\ faNilAfter = [p \in Procs |-> {}]

(* The history update of a step of p (a primed context: it reads the     *)
(* algorithm's state after the step).  l is the label the step is taken   *)
(* at; a call starts at "idle"; a return ends at "idle".                   *)
HOps(p) ==
  LET l == pc[p]
      calling == l = "idle"
      returning == Busy(p) /\ ~Busy(p)' IN
  /\ seen' =
       CASE calling -> [seen EXCEPT ![p] = IF op'[p].op \in {"freeAll", "expunge"} THEN {}
                                            ELSE {AMap[KeyOf(op'[p])]}]
         [] l = "a_publish" -> SeenAdd(KeyOf(op[p]), new[p])
         [] l = "f_del" -> SeenAdd(KeyOf(op[p]), Nil)
         [] l = "fa_del" -> SeenAdd(<<eobj[cur[p]], eid[cur[p]]>>, Nil)
         [] returning -> [seen EXCEPT ![p] = {}]
         [] OTHER -> seen
  /\ eff' =
       CASE calling \/ returning -> [eff EXCEPT ![p] = Nil]
         [] l = "a_publish" -> [eff EXCEPT ![p] = new[p]]
         [] l = "f_del" -> [eff EXCEPT ![p] = cur[p]]
         [] OTHER -> eff
  /\ ctorCalls' =
       CASE calling -> [ctorCalls EXCEPT ![p] = 0]
         [] l = "a_ctor" -> [ctorCalls EXCEPT ![p] = @ + 1]
         [] OTHER -> ctorCalls
  /\ ctorDone' =
       IF l = "a_ctor" /\ pc'[p] # "a_ctor_fail_unlock"
         THEN [ctorDone EXCEPT ![new[p]] = TRUE] ELSE ctorDone
  /\ gpOwed' =
       \* (only p's position changes in p's step, and every process in a
       \* gpOwed set is inside: only p can leave, and only p's step adds)
       LET g == IF l \in {"f_kfree_rcu", "fa_kfree_rcu", "x_kfree_rcu"}
                  THEN [gpOwed EXCEPT ![cur[p]] = {q \in Procs : pc[q] \in SectionLabels}]
                  ELSE gpOwed
       IN IF pc'[p] \in SectionLabels THEN g ELSE [e \in Entries |-> g[e] \ {p}]
  /\ faDone' =
       CASE calling \/ l = "fa_unlock" -> [faDone EXCEPT ![p] = {}]
         [] l = "fa_del" -> [faDone EXCEPT ![p] = @ \cup {cur[p]}]
         [] OTHER -> faDone
  /\ faCallWhileLocked' =
       IF calling
         THEN [faCallWhileLocked EXCEPT ![p] =
                 IF op'[p].op = "get" /\ lock # Nil /\ op[lock].op = "freeAll"
                    /\ op[lock].id = op'[p].id /\ AMap[KeyOf(op'[p])] # Nil
                   THEN {lock} ELSE {}]
         ELSE faCallWhileLocked
  /\ faNilAfter' =
       CASE l = "g_unlock" /\ op[p].op = "get" ->
              [faNilAfter EXCEPT ![p] = @ \cup
                 {f \in faCallWhileLocked[p] :
                    cur[p] = Nil /\ lock = f
                    /\ \E e \in faDone[f] : eobj[e] = op[p].obj}]
         [] l = "fa_unlock" -> [q \in Procs |-> faNilAfter[q] \ {p}]
         [] OTHER -> faNilAfter

(* The destructor call: f_dtor / fa_dtor call it (if given) on cur[p]. *)
HDtor(p) ==
  dtorCount' = IF pc[p] \in {"f_dtor", "fa_dtor"} /\ DtorGiven
                  /\ pc'[p] \in {"f_kfree_rcu", "fa_kfree_rcu"}
                 THEN [dtorCount EXCEPT ![cur[p]] = @ + 1] ELSE dtorCount

HStep(p) == HOps(p) /\ HDtor(p)

(* The algorithm with step S(p) for process p (ShadowDriver's Step, or  *)
(* a seeded-bug variant of it, module ShadowMutants), with its history.   *)
HNextOf(S(_)) ==
  \/ \E p \in Procs : S(p) /\ HStep(p)
  \/ Reclaim /\ UNCHANGED auxVars
  \/ Finished /\ UNCHANGED auxVars

(* Shadow with its history variables, under Spec's fairness (as in       *)
(* Lamport and Merz: the history variables change neither which steps are *)
(* enabled nor the fairness conditions).                                   *)
HNext == HNextOf(Step)
HSpec == HInit /\ [][HNext]_hvars /\ Fairness
=============================================================================
