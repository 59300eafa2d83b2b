/**
 * The baseline beside the peer: node with tsx and the memory probe loaded, doing nothing, until
 * the benchmark stops it.
 */
const keepAlive = setInterval(() => {}, 60_000);
process.on('SIGTERM', () => clearInterval(keepAlive));
