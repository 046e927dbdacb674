-------------------------- MODULE ShadowAtomicWeak --------------------------
(***************************************************************************)
(* The abstract map of the weak table: ShadowAtomic with objects that     *)
(* die.  The death of object o (ADie) is a step of the environment (the   *)
(* garbage collector), taken only when no operation in progress names o:  *)
(* the map loses every key of o at once, and no destructor runs for them.  *)
(* After it no caller can name o (nobody holds it any more): no call is   *)
(* made on a dead object.  expunge (the weak table's own call, with no    *)
(* key) changes nothing here: the keys of dead objects are gone already.  *)
(* A live object's keys behave exactly as in ShadowAtomic.                 *)
(***************************************************************************)
EXTENDS ShadowAtomic

VARIABLE dead   \* the objects that have died

wavars == <<avars, dead>>

WAInit == AInit /\ dead = {}

(* p calls expunge: no key, so no history (as freeAll's, which has none).  *)
CallExpunge(p) ==
  /\ aop[p] = NoOp
  /\ aop' = [aop EXCEPT ![p] = ExpungeOp]
  /\ seen' = [seen EXCEPT ![p] = {}]
  /\ eff' = [eff EXCEPT ![p] = Nil]
  /\ ret' = [ret EXCEPT ![p] = NoRet]
  /\ UNCHANGED <<amap, dtorRan, dtorDue>>

(* A step of p: one of ShadowAtomic's, or an expunge call; a call on a    *)
(* dead object is not made (aop'[p].obj is Nil for an idle process and    *)
(* for expunge and freeAll).                                               *)
WAStep(p) ==
  /\ AStep(p) \/ CallExpunge(p)
  /\ aop'[p].obj \notin dead
  /\ UNCHANGED dead

(* Object o dies: every key of o is gone, no destructor runs. *)
ADie(o) ==
  /\ o \notin dead
  /\ \A q \in Procs : aop[q].obj # o
  /\ dead' = dead \cup {o}
  /\ amap' = [k \in Keys |-> IF k[1] = o THEN Nil ELSE amap[k]]
  /\ UNCHANGED <<aop, seen, eff, ret, dtorRan, dtorDue>>

WANext == (\E p \in Procs : WAStep(p)) \/ (\E o \in Objs : ADie(o))
=============================================================================
