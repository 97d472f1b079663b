import { startRelay } from './relay.js';

startRelay();
