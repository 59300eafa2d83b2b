export { LoginServer } from './login-server.ts';
export type { LoginServerStartOptions, LoginServerContext } from './login-server.ts';
export {
  initLoginServer,
  readLoginServerConfig,
  loginServerFiles,
  LoginServerDataError,
} from './login-server-config.ts';
export type { LoginServerConfig } from './login-server-config.ts';
