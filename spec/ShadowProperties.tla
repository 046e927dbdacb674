-------------------------- MODULE ShadowProperties --------------------------
(***************************************************************************)
(* The properties of the shadow-variable algorithm (module Shadow): the   *)
(* invariants TLC checks, the refinement of the abstract atomic map       *)
(* (module ShadowAtomic), the liveness properties, and the witness        *)
(* invariants that TLC must VIOLATE to show that the models reach the     *)
(* dangerous situations the algorithm is built to survive.  They read the *)
(* algorithm's variables and the history variables of module ShadowAux.   *)
(***************************************************************************)
EXTENDS ShadowAux

(* The entry states. *)
EStates == {"free", "private", "published", "unlinked", "gp_wait", "reclaimed"}

(* The labels a process can be at. *)
Labels == LockedLabels \cup
  {"idle", "g_lock", "g_walk", "g_unlock", "a_alloc", "a_lock",
   "a_kfree", "a_ctor_fail_kfree", "f_lock", "fa_lock"}

(* Entries that have been removed from the table (dtor time or later). *)
Removed == {e \in Entries : estate[e] \in {"unlinked", "gp_wait", "reclaimed"}}

(* Every variable has a value of the right type, the program counters in *)
(* L and the operations in O (the weak table, ShadowWeak, has more).       *)
TypeOKWith(L, O) ==
  /\ pc \in [Procs -> L]
  /\ op \in [Procs -> O \cup {NoOp}]
  /\ nOps \in [Procs -> Nat]
  /\ cur \in [Procs -> Entries \cup {Nil}]
  /\ new \in [Procs -> Entries \cup {Nil}]
  /\ bkt \in [Procs -> Buckets \cup {Nil}]
  /\ lock \in Procs \cup {Nil}
  /\ inRead \in [Procs -> BOOLEAN]
  /\ head \in [Buckets -> Entries \cup {Nil}]
  /\ next \in [Entries -> Entries \cup {Nil}]
  /\ eobj \in [Entries -> Objs \cup {Nil}]
  /\ eid \in [Entries -> Ids \cup {Nil}]
  /\ estate \in [Entries -> EStates]
  /\ waitFor \in [Entries -> SUBSET Procs]
  /\ ctorDone \in [Entries -> BOOLEAN]
  /\ dtorCount \in [Entries -> Nat]
  /\ gpOwed \in [Entries -> SUBSET Procs]
  /\ seen \in [Procs -> SUBSET (Entries \cup {Nil})]
  /\ eff \in [Procs -> Entries \cup {Nil}]
  /\ ret \in [Procs -> [op : OpNames, val : Entries \cup {Nil}, why : Whys]
                      \cup {NoRet}]
  /\ ctorCalls \in [Procs -> 0..1]
  /\ faDone \in [Procs -> SUBSET Entries]
  /\ faCallWhileLocked \in [Procs -> SUBSET Procs]
  /\ faNilAfter \in [Procs -> SUBSET Procs]

TypeOK == TypeOKWith(Labels, Ops)

(* At most one reachable entry per <obj, id>, and every reachable entry   *)
(* is in the bucket of its obj.                                            *)
UniqueKey ==
  /\ \A e1, e2 \in Reachable :
        e1 # e2 => <<eobj[e1], eid[e1]>> # <<eobj[e2], eid[e2]>>
  /\ \A b \in Buckets : \A e \in Reach(head[b], NE) : Hash[eobj[e]] = b

(* At most one process is inside the spinlock's critical section, and it *)
(* is the lock holder (with the weak table's expunge labels, ShadowAux).   *)
SpinlockMutex ==
  LET L == LockedLabels \cup ExpungeLockedLabels IN
  /\ \A p, q \in Procs : p # q => ~(pc[p] \in L /\ pc[q] \in L)
  /\ \A p \in Procs : pc[p] \in L => lock = p

(* No walker (lock-free reader or freeAll) stands on, and so reads, a     *)
(* reclaimed entry (nor does the weak table's expunge, at x_del and        *)
(* x_kfree_rcu).                                                           *)
NoUseAfterReclaim ==
  \A p \in Procs :
    pc[p] \in {"g_walk", "fa_walk", "fa_next", "f_del", "f_dtor", "f_kfree_rcu",
               "fa_del", "fa_dtor", "fa_kfree_rcu", "x_del", "x_kfree_rcu"}
    /\ cur[p] # Nil
      => estate[cur[p]] # "reclaimed"

(* Every entry reachable from a bucket head has its obj and id set. *)
PublishedFieldsSet == \A e \in Reachable : eobj[e] # Nil /\ eid[e] # Nil

(* Every entry reachable from a bucket head has been constructed (or no  *)
(* constructor is given).                                                  *)
ConstructedBeforePublished ==
  \A e \in Reachable : CtorGiven => ctorDone[e]

(* The destructor runs at most once per entry (the bound on dtorCount,   *)
(* which TypeOK leaves to this property), only on an entry removed from   *)
(* the table, and exactly once (if given) on every entry by the time that *)
(* entry is handed to kfree_rcu (so by the end of its free), except the   *)
(* entries in X, on which it never runs (the weak table's expunged        *)
(* entries of dead objects, ShadowWeak).                                   *)
DestructorOnceBut(X) ==
  \A e \in Entries :
    /\ dtorCount[e] <= 1
    /\ dtorCount[e] = 1 => e \in Removed /\ DtorGiven /\ e \notin X
    /\ estate[e] \in {"gp_wait", "reclaimed"} =>
         dtorCount[e] = IF DtorGiven /\ e \notin X THEN 1 ELSE 0

DestructorOnce == DestructorOnceBut({})

(* An entry is reclaimed only when every process that was inside a read- *)
(* side section at its kfree_rcu has left it (gpOwed is this history,     *)
(* kept from the program positions, independently of the algorithm's own *)
(* inRead, lock and waitFor).                                              *)
ReclaimAfterGracePeriod ==
  \A e \in Entries : estate[e] = "reclaimed" => gpOwed[e] = {}

(* Every entry is accounted for: in the pool (unreachable, unowned),     *)
(* owned by exactly one in-flight alloc (private), published (reachable), *)
(* unlinked by exactly one in-flight free/freeAll (or the weak table's    *)
(* expunge), awaiting a grace period, or reclaimed.                        *)
NoLeak ==
  LET R == Reachable IN
  \A e \in Entries :
    LET owners == {p \in Procs : new[p] = e} IN
    /\ (e \in R) <=> (estate[e] = "published")
    /\ estate[e] = "private" => Cardinality(owners) = 1
    /\ estate[e] # "private" => owners = {}
    /\ estate[e] = "private" => \E p \in owners : Busy(p)
    /\ estate[e] = "unlinked" =>
         Cardinality({p \in Procs : cur[p] = e /\ pc[p] \in
            {"f_dtor", "f_kfree_rcu", "fa_dtor", "fa_kfree_rcu", "x_kfree_rcu"}}) = 1

(* Every returned result is allowed by the abstract outcome rules,        *)
(* given the history of the operation's key (seen) and its own effect     *)
(* (eff) just before the return step.  An action property (PROPERTIES):   *)
(* the return step clears the history.                                     *)
Linearizable ==
  [][\A p \in Procs :
       Busy(p) /\ ~Busy(p)' =>
         Allowed(ret'[p].op, FullRet(ret'[p], ctorCalls'[p]), seen[p], eff[p])]_hvars

(* The kernel's own reading of an allocation failure: kzalloc may return *)
(* NULL at any time, and alloc/getOrAlloc then return NULL, whether the   *)
(* key was absent at some moment of the call or not.  ShadowAtomic's      *)
(* AllowedResults allows the failure only if the key was absent at some   *)
(* moment; this reading allows it whenever the operation inserted nothing.*)
AllowedNullOnFailure(o, r, s, e) ==
  \/ Allowed(o, r, s, e)
  \/ o \in {"alloc", "getOrAlloc"} /\ AllocFail /\ e = Nil
     /\ r = Rec(o, Nil, "allocFail", 0)

LinearizableNullOnFailure ==
  [][\A p \in Procs :
       Busy(p) /\ ~Busy(p)' =>
         AllowedNullOnFailure(ret'[p].op, FullRet(ret'[p], ctorCalls'[p]), seen[p], eff[p])]_hvars

-----------------------------------------------------------------------------
(* Refinement: the algorithm implements the abstract atomic map, with the *)
(* table as the map of reachable entries and the operation in progress as *)
(* the abstract operation.  The destructor calls are the algorithm's own: *)
(* dtorRan is the entries on which f_dtor / fa_dtor called the destructor *)
(* (dtorCount, the history of those steps), and a free/freeAll owes the   *)
(* call on the entry it unlinked while it stands at f_dtor / fa_dtor: the *)
(* unlink is the abstract removal, the dtor step the abstract Dtor, and a  *)
(* dtor step that calls nothing (or a call anywhere else) is no abstract   *)
(* step.                                                                    *)
(* The refinement mapping, one definition per abstract variable. *)
AOp == [p \in Procs |-> IF Busy(p) THEN op[p] ELSE NoOp]
ARet == [p \in Procs |-> FullRet(ret[p], ctorCalls[p])]
DtorRan == {e \in Entries : dtorCount[e] > 0}
DtorDue == [p \in Procs |-> IF DtorGiven /\ pc[p] \in {"f_dtor", "fa_dtor"}
                              THEN {cur[p]} ELSE {}]

A == INSTANCE ShadowAtomic WITH
       Data <- Entries, amap <- AMap, aop <- AOp, seen <- seen, eff <- eff,
       ret <- ARet, dtorRan <- DtorRan, dtorDue <- DtorDue

(* A step that leaves every abstract variable unchanged, the table's     *)
(* through the table's own variables (AMap is a function of tableVars):  *)
(* it implies UNCHANGED A!avars, without walking the chains for AMap in  *)
(* both states.                                                            *)
AStutter ==
  /\ UNCHANGED <<tableVars, seen, eff>>
  /\ AOp' = AOp /\ ARet' = ARet /\ DtorRan' = DtorRan /\ DtorDue' = DtorDue

(* The abstract step of a step of the algorithm, as TLC finds it fast:   *)
(* an abstract stutter (AStutter), or a step of the process that moved,  *)
(* else any abstract step.  Both first disjuncts imply the last (AStutter *)
(* implies UNCHANGED A!avars, the second is a disjunct of A!ANext with a  *)
(* conjunct more), so [RefStep]_A!avars is [A!ANext]_A!avars.  TLC        *)
(* evaluates [N]_v as N \/ UNCHANGED v, disjuncts in order: with N =      *)
(* A!ANext alone every step would try ANext's disjuncts for every process *)
(* with the mapping substituted, the walks and lock steps (abstract       *)
(* stutters, most steps) all of them (COST.md, "TLC faster on this spec"). *)
RefStep ==
  \/ AStutter
  \/ \E p \in Procs : pc'[p] # pc[p] /\ A!AStep(p)
  \/ A!ANext

(* The refinement: A!ASpec = A!AInit /\ [][A!ANext]_A!avars. *)
Refinement == A!AInit /\ [][RefStep]_(A!avars)

(* The step part of Refinement ([][A!ANext]_A!avars, written as above):    *)
(* as its own definition, TLC names it when it is violated (for Refinement *)
(* it names only a source location).  The models whose table starts empty  *)
(* check Refinement; a model starting from a later state checks this.     *)
RefinementStep == [][RefStep]_(A!avars)

-----------------------------------------------------------------------------
(* Liveness (under the weak fairness of Spec).                            *)

(* Every started operation completes. *)
OpsComplete == \A p \in Procs : Busy(p) ~> ~Busy(p)

(* Every process finishes its operations (with finitely many operations  *)
(* per process this implies OpsComplete, and TLC checks it as one         *)
(* temporal branch instead of one per process).                           *)
Termination == <>(\A p \in Procs : Done(p))

(* Every entry handed to kfree_rcu is eventually reclaimed. *)
EntriesReclaimed == \A e \in Entries : estate[e] = "gp_wait" ~> estate[e] = "reclaimed"

(* From some point on no entry awaits a grace period.  As an entry only  *)
(* leaves "gp_wait" for "reclaimed", this implies EntriesReclaimed; TLC   *)
(* checks it as one temporal branch instead of one per entry.             *)
GracePeriodsEnd == <>[](\A e \in Entries : estate[e] # "gp_wait")

-----------------------------------------------------------------------------
(* freeAll is NOT atomic for lock-free readers.  If it were one atomic   *)
(* step, no reader could, while one freeAll(i) holds the lock, first get *)
(* NULL for a key that was present when its get was called (so the       *)
(* freeAll had removed it: only the lock holder can remove) and then, in *)
(* a later get, still find an entry with id i (present before the lock,  *)
(* so it would have gone in the same atomic step).  faNilAfter[q] holds  *)
(* the freeAlls for which q's first get happened; the second get is q at *)
(* g_unlock with a found entry of that id.  TLC must VIOLATE this.        *)
FreeAllAtomic ==
  \A q, p \in Procs :
    ~ /\ pc[q] = "g_unlock" /\ op[q].op = "get" /\ cur[q] # Nil
      /\ p \in faNilAfter[q] /\ lock = p /\ op[p].op = "freeAll"
      /\ eid[cur[q]] = op[p].id

(* The destructor runs at unlink, before the grace period, so a get that *)
(* matched just before the unlink returns data whose destructor already  *)
(* ran: allowed (the caller must not free what it still uses).  TLC must *)
(* VIOLATE this, showing the situation is reachable.                      *)
NeverReturnsDestructedData ==
  ~ \E p \in Procs : pc[p] = "g_unlock" /\ op[p].op = "get" /\ cur[p] # Nil
                     /\ dtorCount[cur[p]] > 0

-----------------------------------------------------------------------------
(* Witness invariants: each says a dangerous situation never happens;    *)
(* TLC must VIOLATE each in a small model (the situation is reachable).   *)

(* A lock-free reader stands on an entry that has been unlinked. *)
Witness_ReaderOnUnlinked ==
  ~ \E p \in Procs : pc[p] = "g_walk" /\ estate[cur[p]] \in {"unlinked", "gp_wait"}

(* A reader stands on an unlinked entry that does not match, whose kept  *)
(* forward link leads to a published entry: its next step passes from    *)
(* the unlinked entry to a live one.                                       *)
Witness_ReaderPassesUnlinked ==
  ~ \E p \in Procs :
      /\ pc[p] = "g_walk" /\ estate[cur[p]] \in {"unlinked", "gp_wait"}
      /\ <<eobj[cur[p]], eid[cur[p]]>> # KeyOf(op[p])
      /\ next[cur[p]] # Nil /\ estate[next[cur[p]]] = "published"

(* get is about to return an entry already unlinked. *)
Witness_GetReturnsUnlinked ==
  ~ \E p \in Procs : pc[p] = "g_unlock" /\ op[p].op = "get" /\ cur[p] # Nil
                     /\ estate[cur[p]] # "published"

(* A reclaim is held back by a reader still inside its section. *)
Witness_ReclaimHeldBack ==
  ~ \E e \in Entries : estate[e] = "gp_wait" /\ \E q \in waitFor[e] : inRead[q]

(* An alloc/getOrAlloc loses the race: found under the lock. *)
Witness_LostAllocRace == ~ \E p \in Procs : pc[p] = "a_exists_unlock"

(* A constructor fails. *)
Witness_CtorFailure == ~ \E p \in Procs : pc[p] = "a_ctor_fail_unlock"

(* An allocation fails. *)
Witness_AllocFailure == ~ \E p \in Procs : ret[p].why = "allocFail"

(* Two unlinked entries of one bucket await their grace periods. *)
Witness_TwoUnlinkedInBucket ==
  ~ \E e1, e2 \in Entries :
      /\ e1 # e2 /\ estate[e1] = "gp_wait" /\ estate[e2] = "gp_wait"
      /\ Hash[eobj[e1]] = Hash[eobj[e2]]

(* Three entries in the chain of one bucket. *)
Witness_ThreeInChain ==
  ~ \E b \in Buckets : Cardinality(Reach(head[b], NE)) >= 3

(* One freeAll removes two entries. *)
Witness_FreeAllRemovesTwo == ~ \E p \in Procs : Cardinality(faDone[p]) >= 2

(* A lock-free reader walks while another process holds the lock. *)
Witness_ReaderWalksWhileLocked ==
  ~ \E p, q \in Procs : p # q /\ pc[q] = "g_walk" /\ lock = p
=============================================================================
