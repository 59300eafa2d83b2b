/**
 * The main window's preload. It runs sandboxed: it can require 'electron' and nothing else, so
 * electron-vite bundles it (with the contract's name lists) into one CommonJS file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPhoneApi } from './phone-api.ts';

contextBridge.exposeInMainWorld('chordline', createPhoneApi(ipcRenderer));
