----------------------------- MODULE ShadowIndInv -----------------------------
(***************************************************************************)
(* An inductive invariant of the shadow-variable algorithm (module        *)
(* Shadow, with the history variables of ShadowAux), and the model that   *)
(* checks it is inductive.                                                 *)
(*                                                                         *)
(* IndInv describes every reachable state by what each thread's label     *)
(* says about the heap (the entry it stands on, its speculative entry,    *)
(* the lock, its read-side section), what each entry's lifecycle state    *)
(* says about its fields, and how the forward links of removed entries    *)
(* relate to the grace periods (a reader allowed to stand on an entry is  *)
(* allowed on every entry its links lead to).  It implies the state       *)
(* invariants of ShadowProperties: UniqueKey, SpinlockMutex,              *)
(* NoUseAfterReclaim, ConstructedBeforePublished, DestructorOnce,         *)
(* ReclaimAfterGracePeriod, NoLeak, and TypeOK for every variable except  *)
(* the history variables.                                                  *)
(*                                                                         *)
(* The history variables (seen, ret, ctorCalls, faDone,                   *)
(* faCallWhileLocked, faNilAfter) are write-only for the algorithm: no    *)
(* step reads them to decide whether it is enabled or to compute any      *)
(* other variable, and IndInv says nothing about them.  The induction     *)
(* model therefore fixes them at their initial values in its initial      *)
(* states: every state satisfying IndInv agrees, on all other variables,  *)
(* with one of these, and has the same successors there.                  *)
(*                                                                         *)
(* The induction model (model-check/IndInv_*.cfg): its initial states are *)
(* ALL states within the model's bounds (TypeOK's sets) that satisfy      *)
(* IndInv (IndInit enumerates them entry by entry and thread by thread,   *)
(* filtering with IndInv's own conjuncts first, which changes only the    *)
(* speed); TLC checks IndInv and the safety properties in each of them    *)
(* (IndInv => properties) and IndInv in each successor (IndInv /\ Next => *)
(* IndInv'); the CONSTRAINT HistoryInitial ends the search at successors *)
(* whose history variables changed; a successor that keeps them initial   *)
(* and satisfies IndInv is one of the initial states, already checked    *)
(* (the search has depth 1).  (With states drawn at random, module        *)
(* ShadowIndInvSampled, such successors are new states: there a variable  *)
(* stepped stops the search after one step.)  This is stronger than       *)
(* checking the reachable states: it covers states no behaviour of the    *)
(* model reaches.                                                          *)
(***************************************************************************)
EXTENDS MCShadow, ShadowMutants

(* The labels of each operation. *)
GLabels == {"g_lock", "g_walk", "g_unlock"}
ALabels == {"a_alloc", "a_lock", "a_recheck", "a_exists_unlock", "a_kfree",
            "a_set", "a_ctor", "a_ctor_fail_unlock", "a_ctor_fail_kfree",
            "a_publish", "a_unlock"}
FLabels == {"f_lock", "f_walk", "f_del", "f_dtor", "f_kfree_rcu", "f_unlock"}
FALabels == {"fa_lock", "fa_walk", "fa_del", "fa_dtor", "fa_kfree_rcu",
             "fa_next", "fa_unlock"}

(* The labels at which a thread has no current entry. *)
CurNilLabels ==
  {"idle", "g_lock", "a_alloc", "a_lock", "a_recheck", "a_set",
   "a_ctor", "a_ctor_fail_unlock", "a_ctor_fail_kfree", "a_publish",
   "f_lock", "f_walk", "fa_lock", "fa_unlock"}

(* The labels at which a thread has a current entry. *)
CurLabels ==
  {"g_walk", "a_exists_unlock", "a_kfree", "a_unlock", "f_del", "f_dtor", "f_kfree_rcu",
   "fa_del", "fa_dtor", "fa_kfree_rcu", "fa_next"}

(* The labels at which alloc/getOrAlloc owns a speculative entry. *)
NewLabels ==
  {"a_lock", "a_recheck", "a_exists_unlock", "a_kfree", "a_set", "a_ctor",
   "a_ctor_fail_unlock", "a_ctor_fail_kfree", "a_publish"}

(* The labels at which freeAll has a bucket. *)
BktLabels == {"fa_walk", "fa_del", "fa_dtor", "fa_kfree_rcu", "fa_next", "fa_unlock"}

(* The labels at which free/freeAll owns an unlinked entry. *)
OwnUnlinkedLabels == {"f_dtor", "f_kfree_rcu", "fa_dtor", "fa_kfree_rcu"}

(* The key of an entry. *)
EKey(e) == <<eobj[e], eid[e]>>

(* The destructor count of an entry handed to kfree_rcu. *)
DtorDone == IF DtorGiven THEN 1 ELSE 0

(* Operation o may be p's n-th operation. *)
OpOK(p, o, n) == IF Script[p] = <<>> THEN o.op \in OpKinds
                 ELSE n \in 1..Len(Script[p]) /\ o = Script[p][n]

-----------------------------------------------------------------------------
(* Per thread, what its label says about its own variables (r: a record  *)
(* of p's pc, op, nOps, cur, new, bkt, eff).                               *)
ProcLocal(p, r) ==
  LET l == r.pc IN
  /\ (l = "idle") <=> (r.op = NoOp)
  /\ l = "idle" => r.nOps <= Limit(p)
  /\ l # "idle" => r.nOps \in 1..Limit(p) /\ OpOK(p, r.op, r.nOps)
  /\ l \in GLabels => r.op.op \in {"get", "alloc", "getOrAlloc"}
  /\ l \in ALabels => r.op.op \in {"alloc", "getOrAlloc"}
  /\ l \in FLabels => r.op.op = "free"
  /\ l \in FALabels => r.op.op = "freeAll"
  /\ l \in CurNilLabels => r.cur = Nil
  /\ l \in CurLabels => r.cur # Nil
  /\ (r.new # Nil) <=> (l \in NewLabels)
  /\ (r.bkt # Nil) <=> (l \in BktLabels)
  /\ l \notin {"a_unlock", "f_dtor", "f_kfree_rcu", "f_unlock"} => r.eff = Nil
  /\ l = "a_unlock" => r.eff = r.cur
  /\ l \in {"f_dtor", "f_kfree_rcu", "f_unlock"} => r.eff = r.cur

(* Per entry, what its lifecycle state says about its fields (r: a record *)
(* of e's estate, next, eobj, eid, waitFor, gpOwed, ctorDone, dtorCount). *)
EntryLocal(r) ==
  /\ r.st = "free" => r.ob = Nil /\ r.id = Nil /\ r.nx = Nil /\ ~r.cd /\ r.dc = 0
  /\ r.st = "private" => r.nx = Nil /\ r.dc = 0 /\ ((r.ob = Nil) <=> (r.id = Nil))
                         /\ (r.cd => r.ob # Nil)
  /\ r.st \notin {"free", "private"} => r.ob # Nil /\ r.id # Nil /\ (CtorGiven => r.cd)
  /\ ~CtorGiven => ~r.cd
  /\ r.st \in {"free", "private", "published", "unlinked", "reclaimed"} => r.wf = {}
  /\ r.go = r.wf
  /\ r.st = "published" => r.dc = 0
  /\ r.st = "unlinked" => r.dc \in 0..DtorDone
  /\ r.st \in {"gp_wait", "reclaimed"} => r.dc = DtorDone

(* The table: the reachable entries are the published ones, in the bucket *)
(* of their obj, one per key; chains have no cycles; nothing links to a   *)
(* free or private entry; every link stays within one bucket (a removed   *)
(* entry keeps a link into its own bucket: without this conjunct IndInv   *)
(* is not inductive with 2 buckets, see IndInv_Sampled3x2x2); a published or unlinked entry links to a        *)
(* published one; a grace period owed to an entry is owed to every        *)
(* removed entry its link leads to; grace periods wait only for threads   *)
(* still inside a read-side section.                                        *)
HeapLinks ==
  /\ \A e \in Entries : (e \in Reachable) <=> (estate[e] = "published")
  /\ \A e \in Entries : e \notin Reach(next[e], NE)
  /\ \A b \in Buckets : \A e \in Reach(head[b], NE) : Hash[eobj[e]] = b
  /\ \A e1, e2 \in Entries :
        e1 # e2 /\ estate[e1] = "published" /\ estate[e2] = "published"
          => EKey(e1) # EKey(e2)
  /\ \A x \in Entries : next[x] # Nil => estate[next[x]] \notin {"free", "private"}
  /\ \A x \in Entries : next[x] # Nil => Hash[eobj[next[x]]] = Hash[eobj[x]]
  /\ \A x \in Entries : estate[x] \in {"published", "unlinked"} /\ next[x] # Nil
        => estate[next[x]] = "published"
  /\ \A x \in Entries : estate[x] = "gp_wait" /\ next[x] # Nil
        /\ estate[next[x]] \in {"gp_wait", "reclaimed"}
        => waitFor[x] \subseteq waitFor[next[x]]
HeapInv ==
  /\ HeapLinks
  /\ \A e \in Entries : \A q \in waitFor[e] : inRead[q] \/ lock = q

(* What each thread's label says about the shared state. *)
(* (r: a record of p's variables, as in ProcLocal.)                         *)
ProcHeapR(p, r) ==
  LET l == r.pc
      c == r.cur
      n == r.new IN
  /\ n # Nil => estate[n] = "private"
  /\ l \in {"a_lock", "a_recheck", "a_exists_unlock", "a_kfree", "a_set"}
       => eobj[n] = Nil /\ eid[n] = Nil /\ ~ctorDone[n]
  /\ l \in {"a_ctor", "a_ctor_fail_unlock", "a_ctor_fail_kfree", "a_publish"}
       => EKey(n) = KeyOf(r.op)
  /\ l \in {"a_ctor", "a_ctor_fail_unlock", "a_ctor_fail_kfree"} => ~ctorDone[n]
  /\ l = "a_publish" => (CtorGiven => ctorDone[n])
  /\ l \in {"a_set", "a_ctor", "a_publish"} => Lookup(KeyOf(r.op)) = Nil
  /\ l = "a_exists_unlock" => estate[c] = "published" /\ EKey(c) = KeyOf(r.op)
  /\ l = "a_kfree" => estate[c] \notin {"free", "private"} /\ EKey(c) = KeyOf(r.op)
  /\ l = "a_unlock" => estate[c] = "published" /\ EKey(c) = KeyOf(r.op)
  /\ l = "f_del" => c = Lookup(KeyOf(r.op))
  /\ l \in {"f_dtor", "f_kfree_rcu"} =>
       estate[c] = "unlinked" /\ EKey(c) = KeyOf(r.op)
       /\ dtorCount[c] = IF l = "f_dtor" THEN 0 ELSE DtorDone
  /\ l = "fa_walk" => c = Nil \/ c \in Reach(head[r.bkt], NE)
  /\ l = "fa_del" => c \in Reach(head[r.bkt], NE) /\ eid[c] = r.op.id
  /\ l \in {"fa_dtor", "fa_kfree_rcu"} =>
       estate[c] = "unlinked" /\ eid[c] = r.op.id /\ Hash[eobj[c]] = r.bkt
       /\ dtorCount[c] = IF l = "fa_dtor" THEN 0 ELSE DtorDone
  /\ l = "fa_next" =>
       /\ estate[c] = "gp_wait" /\ p \in waitFor[c] /\ Hash[eobj[c]] = r.bkt
       /\ next[c] = Nil \/ next[c] \in Reach(head[r.bkt], NE)
  /\ l = "g_walk" =>
       \/ estate[c] \in {"published", "unlinked"}
       \/ estate[c] = "gp_wait" /\ p \in waitFor[c]

(* The thread's record. *)
ProcRec(p) == [pc |-> pc[p], op |-> op[p], nOps |-> nOps[p], cur |-> cur[p],
               new |-> new[p], bkt |-> bkt[p], eff |-> eff[p]]

(* The lock and the read-side sections, as the labels say. *)
ProcHeap(p) ==
  /\ (lock = p) <=> (pc[p] \in LockedLabels)
  /\ inRead[p] <=> (pc[p] \in {"g_walk", "g_unlock"})
  /\ ProcHeapR(p, ProcRec(p))

(* Every private entry has one owner, every unlinked entry one remover. *)
Owners ==
  /\ \A p, q \in Procs : p # q /\ new[p] # Nil => new[p] # new[q]
  /\ \A e \in Entries : estate[e] = "private" => \E p \in Procs : new[p] = e
  /\ \A e \in Entries : estate[e] = "unlinked" =>
       \E p \in Procs : cur[p] = e /\ pc[p] \in OwnUnlinkedLabels

(* The inductive invariant. *)
IndInv ==
  /\ \A p \in Procs :
       ProcLocal(p, ProcRec(p))
  /\ \A e \in Entries :
       EntryLocal([st |-> estate[e], nx |-> next[e], ob |-> eobj[e], id |-> eid[e],
                   wf |-> waitFor[e], go |-> gpOwed[e], cd |-> ctorDone[e],
                   dc |-> dtorCount[e]])
  /\ HeapInv
  /\ \A p \in Procs : ProcHeap(p)
  /\ Owners

-----------------------------------------------------------------------------
(* The induction model. *)

(* The most operations a thread runs. *)
MaxOps == LET ls == {Limit(p) : p \in Procs} IN CHOOSE m \in ls : \A k \in ls : k <= m

(* Thread records and entry records within TypeOK's sets, filtered by the *)
(* local conjuncts of IndInv (constants: TLC computes them once).          *)
ProcRecs ==
  {r \in [pc : Labels, op : Ops \cup {NoOp}, nOps : 0..MaxOps,
          cur : Entries \cup {Nil}, new : Entries \cup {Nil},
          bkt : Buckets \cup {Nil}, eff : Entries \cup {Nil}] :
     \E p \in Procs : ProcLocal(p, r)}
EntryRecs ==
  {r \in [st : EStates, nx : Entries \cup {Nil}, ob : Objs \cup {Nil},
          id : Ids \cup {Nil}, wf : SUBSET Procs, go : SUBSET Procs,
          cd : BOOLEAN, dc : 0..2] : EntryLocal(r)}

(* The history variables at their initial values. *)
HistoryInitial ==
  /\ seen = [p \in Procs |-> {}]
  /\ ret = [p \in Procs |-> NoRet]
  /\ ctorCalls = [p \in Procs |-> 0]
  /\ faDone = [p \in Procs |-> {}]
  /\ faCallWhileLocked = [p \in Procs |-> {}]
  /\ faNilAfter = [p \in Procs |-> {}]

(* Every state within the bounds satisfying IndInv (history variables    *)
(* initial).  lock and inRead are computed from the labels, as IndInv    *)
(* (ProcHeap) forces them to be.                                           *)
IndInit ==
  /\ \E er \in [Entries -> EntryRecs] :
       /\ estate = [e \in Entries |-> er[e].st]
       /\ next = [e \in Entries |-> er[e].nx]
       /\ eobj = [e \in Entries |-> er[e].ob]
       /\ eid = [e \in Entries |-> er[e].id]
       /\ waitFor = [e \in Entries |-> er[e].wf]
       /\ gpOwed = [e \in Entries |-> er[e].go]
       /\ ctorDone = [e \in Entries |-> er[e].cd]
       /\ dtorCount = [e \in Entries |-> er[e].dc]
  /\ head \in [Buckets -> Entries \cup {Nil}]
  /\ HeapLinks
  /\ \E pr \in [Procs -> {r \in ProcRecs : \E p \in Procs : ProcHeapR(p, r)}] :
       /\ \A p \in Procs : ProcLocal(p, pr[p]) /\ ProcHeapR(p, pr[p])
       /\ \A p, q \in Procs : p # q => ~(pr[p].pc \in LockedLabels /\ pr[q].pc \in LockedLabels)
       /\ pc = [p \in Procs |-> pr[p].pc]
       /\ op = [p \in Procs |-> pr[p].op]
       /\ nOps = [p \in Procs |-> pr[p].nOps]
       /\ cur = [p \in Procs |-> pr[p].cur]
       /\ new = [p \in Procs |-> pr[p].new]
       /\ bkt = [p \in Procs |-> pr[p].bkt]
       /\ eff = [p \in Procs |-> pr[p].eff]
  /\ lock = IF \E p \in Procs : pc[p] \in LockedLabels
              THEN CHOOSE p \in Procs : pc[p] \in LockedLabels ELSE Nil
  /\ inRead = [p \in Procs |-> pc[p] \in {"g_walk", "g_unlock"}]
  /\ HistoryInitial
  /\ IndInv

IndSpec == IndInit /\ [][HNext]_hvars

(* The induction check with the seeded bug LostRaceLeak (ShadowMutants). *)
IndSpecLostRaceLeak == IndInit /\ [][HNextOf(StepLostRaceLeak)]_hvars
=============================================================================
