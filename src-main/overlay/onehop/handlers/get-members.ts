import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/** "Send me your whole table": a neighbour whose view has kept differing from mine. */
export const getMembers: Handler = (core) => refuseUnlessMember(core) ?? answer(core.memberList([]));
