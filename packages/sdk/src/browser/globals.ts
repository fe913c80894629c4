/**
 * The few browser globals the SDK touches, typed locally so the package typechecks without the
 * DOM library and every access can be feature-tested (workers, old browsers, jsdom).
 */

/** `localStorage` / `sessionStorage`. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** An event as the SDK reads it. */
export interface EventLike {
  type: string;
  error?: unknown;
  message?: string;
  filename?: string;
  lineno?: number;
  colno?: number;
  reason?: unknown;
  target?: unknown;
}

type Listener = (ev: EventLike) => void;

/** One performance entry, with the fields of the entry types the SDK observes. */
export interface EntryLike {
  name: string;
  entryType: string;
  startTime: number;
  duration: number;
  interactionId?: number;
  value?: number;
  hadRecentInput?: boolean;
  responseStart?: number;
  activationStart?: number;
  domContentLoadedEventEnd?: number;
  loadEventEnd?: number;
}

/** `PerformanceObserver`. */
export interface ObserverCtor {
  new (
    cb: (list: { getEntries(): EntryLike[] }) => void,
  ): {
    observe(o: { type: string; buffered?: boolean; durationThreshold?: number }): void;
  };
  supportedEntryTypes?: readonly string[];
}

/** Response of the page's `fetch`. */
export interface FetchResponse {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** The page's `fetch`, loosely typed: the SDK forwards arguments untouched. */
export type FetchFn = (input: unknown, init?: { method?: string; [k: string]: unknown }) => Promise<FetchResponse>;

/** `XMLHttpRequest.prototype` as patched by the SDK. */
export interface XhrProto {
  open(this: XhrInstance, method: string, url: string, ...rest: unknown[]): void;
  send(this: XhrInstance, body?: unknown): void;
}

/** An XHR instance with the fields the SDK stashes on it. */
export interface XhrInstance {
  status: number;
  addEventListener(type: string, fn: () => void): void;
  __vigil?: { method: string; url: string; start: number };
}

/** The window (or worker global) as the SDK sees it. */
export interface BrowserGlobals {
  addEventListener?(type: string, fn: Listener, options?: boolean | { capture?: boolean }): void;
  location?: { href: string; pathname: string; origin?: string };
  document?: { visibilityState?: string; addEventListener(type: string, fn: Listener, capture?: boolean): void };
  navigator?: { onLine?: boolean; sendBeacon?(url: string, data: string): boolean };
  localStorage?: StorageLike;
  sessionStorage?: StorageLike;
  fetch?: FetchFn;
  XMLHttpRequest?: { prototype: XhrProto };
  PerformanceObserver?: ObserverCtor;
  performance?: { now(): number; getEntriesByType?(type: string): EntryLike[] };
}

/** The global object, viewed through {@link BrowserGlobals}. */
export const win = globalThis as unknown as BrowserGlobals;

/** Milliseconds since navigation start when `performance` exists, else `Date.now()`. */
export function now(): number {
  return win.performance?.now() ?? Date.now();
}

/** Reads storage without throwing (Safari private mode, disabled storage, sandboxed frames). */
export function storage(kind: 'localStorage' | 'sessionStorage'): StorageLike | undefined {
  try {
    return win[kind] ?? undefined;
  } catch {
    return undefined;
  }
}
