import { answer, refuseUnlessMember, type Handler } from './handler.ts';

/** The refresh from the node ahead of me: am I still alive and in the ring? */
export const ping: Handler = (core) => refuseUnlessMember(core) ?? answer({ kind: 'Pong' });
