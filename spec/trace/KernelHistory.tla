---------------------------- MODULE KernelHistory ----------------------------
(***************************************************************************)
(* Linearizability of concurrent histories recorded in a running kernel    *)
(* (kernel-check/vm/stress/shadowvars_stress.c) against ShadowAtomic.      *)
(*                                                                         *)
(* A history is what the threads observed, nothing of how: each call with  *)
(* its arguments, the value it returned (the serial the constructor wrote  *)
(* into the data), its constructor call (the serial, whether it was told   *)
(* to fail), the serials its destructor calls saw, whether an injected     *)
(* allocation failure happened in it, and two timestamps of one global     *)
(* clock, before the call and after the return.  The kit                   *)
(* (io.github.shadowvars.kit.KernelHistoryCheck) turns each history into a *)
(* sequence of events in timestamp order: the call of an operation at its *)
(* first timestamp, its return at its second (a return and a call at the   *)
(* same time: the call first, so such operations count as overlapping).    *)
(*                                                                         *)
(* TLC then looks for a behaviour of ShadowAtomic in which the calls and   *)
(* returns happen in that order and every return is one the spec allows    *)
(* (AllowedResults) with exactly the observations:                         *)
(*   - the value returned and the number of constructor calls;             *)
(*   - "allocFail" exactly where the history says an allocation failure    *)
(*     was injected, "ctorFail" exactly where the constructor ran and was  *)
(*     told to fail;                                                       *)
(*   - the data an operation inserts (ShadowAtomic's Insert) is the one    *)
(*     its constructor built; the data an operation removes (Remove,       *)
(*     RemoveOne) is data its destructor saw, and by its return it has    *)
(*     removed all of them;                                                *)
(*   - ShadowAtomic's destructor call on removed data (Dtor, which empties *)
(*     dtorDue) is a step of the operation too, before its return.         *)
(* ShadowAtomic's Insert, Remove and Dtor steps may happen anywhere inside *)
(* the operation's interval: that is TLC choosing the linearization point. *)
(*                                                                         *)
(* freeAll's Return has a condition in ShadowAtomic: no key with its id    *)
(* remains.  Its recorded return comes after the C function returned, and  *)
(* other threads may insert between the unlock and that timestamp; so the  *)
(* condition is checked at a point TLC chooses inside the interval         *)
(* (FreeAllDone, after the operation's last removal), and the Return event *)
(* only requires that point to have passed.  Every other Return is         *)
(* ShadowAtomic's own.                                                     *)
(*                                                                         *)
(* A batch of histories is checked in one TLC run: h chooses the history,  *)
(* k is its next event.  TLC register h holds the furthest event any       *)
(* behaviour of history h reached; each new furthest point is printed as   *)
(* <<"reached", h, k>>.  A history is accepted when some behaviour reaches *)
(* k = Len + 1 (every event matched); then its exploration stops.  If not, *)
(* the event at the furthest point is the first one no order explains.     *)
(***************************************************************************)
EXTENDS ShadowAtomic, Sequences

VARIABLES
    h,      \* the history being followed
    k,      \* the index of its next event
    cur,    \* cur[p]: the index of the call event of p's operation in progress
    rem,    \* rem[p]: the data p's operation in progress removed so far
    fadone  \* fadone[p]: p's freeAll in progress has passed its completion point

vars == <<amap, aop, seen, eff, ret, dtorRan, dtorDue, h, k, cur, rem, fadone>>

(* The furthest event reached in history hh: a new furthest point is      *)
(* recorded and printed.  Evaluated last in a step, for its side effect.  *)
Reached(hh, kk) ==
  IF kk > TLCGet(hh)
    THEN TLCSet(hh, kk) /\ PrintT(<<"reached", hh, kk>>)
    ELSE TRUE

HInit(H) ==
  /\ AInit
  /\ h \in 1..Len(H)
  /\ k = 1
  /\ cur = [p \in Procs |-> 0]
  /\ rem = [p \in Procs |-> {}]
  /\ fadone = [p \in Procs |-> FALSE]

(* The operation of p in progress, as the history recorded it. *)
Obs(H, p) == H[h][cur[p]]

(* ShadowAtomic's Return, with freeAll's condition moved to FreeAllDone. *)
ReturnAt(p, r) ==
  IF aop[p].op = "freeAll"
    THEN /\ fadone[p]
         /\ dtorDue[p] = {}
         /\ aop' = [aop EXCEPT ![p] = NoOp]
         /\ ret' = [ret EXCEPT ![p] = r]
         /\ seen' = [seen EXCEPT ![p] = {}]
         /\ eff' = [eff EXCEPT ![p] = Nil]
         /\ UNCHANGED <<amap, dtorRan, dtorDue>>
    ELSE Return(p, r)

(* The next event of the history happens. *)
Event(H) ==
  LET e == H[h][k] IN
  /\ \/ /\ e.kind = "call"
        /\ Call(e.p, e.o)
        /\ cur' = [cur EXCEPT ![e.p] = k]
        /\ rem' = [rem EXCEPT ![e.p] = {}]
        /\ fadone' = [fadone EXCEPT ![e.p] = FALSE]
     \/ /\ e.kind = "ret"
        /\ rem[e.p] = e.dtors
        /\ \E r \in AllowedResults(aop[e.p].op, seen[e.p], eff[e.p]) :
             /\ r.val = e.val
             /\ r.ctors = e.ctors
             /\ (r.why = "allocFail") = e.inj
             /\ (r.why = "ctorFail") = (e.ctors = 1 /\ e.ctorfail)
             /\ ReturnAt(e.p, r)
        /\ UNCHANGED <<cur, rem, fadone>>
  /\ k' = k + 1
  /\ UNCHANGED h

(* ShadowAtomic's own steps inside an operation's interval, each with the *)
(* data the history says the operation built or destroyed.                 *)
Internal(H) ==
  \E p \in Procs :
    /\ aop[p] # NoOp
    /\ \/ /\ Obs(H, p).ins # Nil
          /\ Insert(p, Obs(H, p).ins)
          /\ UNCHANGED rem
       \/ /\ aop[p].op = "free"
          /\ amap[KeyOf(aop[p])] \in Obs(H, p).dtors \ rem[p]
          /\ rem' = [rem EXCEPT ![p] = @ \cup {amap[KeyOf(aop[p])]}]
          /\ Remove(p)
       \/ \E o \in Objs :
          /\ aop[p].op = "freeAll"
          /\ ~fadone[p]
          /\ amap[<<o, aop[p].id>>] \in Obs(H, p).dtors \ rem[p]
          /\ rem' = [rem EXCEPT ![p] = @ \cup {amap[<<o, aop[p].id>>]}]
          /\ RemoveOne(p, o)
       \/ /\ \E d \in dtorDue[p] : Dtor(p, d)
          /\ UNCHANGED rem
    /\ UNCHANGED fadone
    /\ UNCHANGED <<h, k, cur>>

(* freeAll's completion point: no key with its id remains. *)
FreeAllDone ==
  \E p \in Procs :
    /\ aop[p] # NoOp
    /\ aop[p].op = "freeAll"
    /\ ~fadone[p]
    /\ \A o \in Objs : amap[<<o, aop[p].id>>] = Nil
    /\ fadone' = [fadone EXCEPT ![p] = TRUE]
    /\ UNCHANGED <<amap, aop, seen, eff, ret, dtorRan, dtorDue, h, k, cur, rem>>

HNext(H) ==
  /\ TLCGet(h) <= Len(H[h])          \* an accepted history is not explored further
  /\ k <= Len(H[h])
  /\ \/ Event(H) /\ Reached(h, k + 1)
     \/ Internal(H)
     \/ FreeAllDone

=============================================================================
