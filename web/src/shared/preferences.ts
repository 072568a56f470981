import { useSyncExternalStore } from 'react';

/** The 和暦 (Japanese era) date display: off by default, remembered in this browser. */
const KEY = 'kyoyu.era';
const listeners = new Set<() => void>();

function read(): boolean {
  try {
    return localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function setEraDisplay(on: boolean): void {
  try {
    localStorage.setItem(KEY, on ? '1' : '0');
  } catch {
    // Storage may be disabled: the choice then holds until the page reloads.
  }
  eraOverride = on;
  for (const listener of listeners) listener();
}

let eraOverride: boolean | undefined;

/** Whether the era display is on now (for code outside React: the i18n fiscal-year formatter). */
export function eraDisplayOn(): boolean {
  return eraOverride ?? read();
}

/** Calls `listener` whenever the era display is switched; returns the unsubscribe. */
export function onEraDisplayChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useEraDisplay(): boolean {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, eraDisplayOn);
}
