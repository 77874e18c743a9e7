// Property tests run with a fixed seed so that CI is repeatable (a failure on main is a real
// failure, reproducible by anyone); FC_SEED=random, or any number, explores other cases locally.
import fc from 'fast-check';

const env = process.env['FC_SEED'];
if (env !== 'random') fc.configureGlobal({ seed: env !== undefined && env !== '' ? Number(env) : 20261123 });
