import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';

/** The user's choice: follow the system, or force one theme. */
export type ThemePreference = 'system' | 'light' | 'dark';

/** What {@link useTheme} returns. */
export interface ThemeState {
  preference: ThemePreference;
  /** The theme in effect. */
  theme: 'light' | 'dark';
  setPreference: (preference: ThemePreference) => void;
}

const STORAGE_KEY = 'vigil.theme';
const Context = createContext<ThemeState | null>(null);

function stored(): ThemePreference {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function systemDark(): boolean {
  return globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

/**
 * Dark and light themes: follows the system's colour scheme until the user picks one, and
 * remembers that pick (localStorage). Renders a wrapper carrying `data-theme` so an embedding
 * host's own styles are untouched.
 *
 * @example
 * <ThemeProvider><MonitoringDashboard className="custom-monitoring" /></ThemeProvider>
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const [preference, setPref] = useState<ThemePreference>(stored);
  const [dark, setDark] = useState(systemDark);

  useEffect(() => {
    const query = globalThis.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    const onChange = () => setDark(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  const theme: 'light' | 'dark' = preference === 'system' ? (dark ? 'dark' : 'light') : preference;
  useEffect(() => {
    // The page behind the wrapper (overscroll, scrollbars) follows the theme too.
    document.documentElement.style.colorScheme = theme;
    document.documentElement.dataset.vigilTheme = theme;
  }, [theme]);

  const value = useMemo<ThemeState>(
    () => ({
      preference,
      theme,
      setPreference: (p) => {
        setPref(p);
        try {
          if (p === 'system') localStorage.removeItem(STORAGE_KEY);
          else localStorage.setItem(STORAGE_KEY, p);
        } catch {
          // Storage blocked (private mode): the choice lasts for this page only.
        }
      },
    }),
    [preference, theme],
  );
  return (
    <Context.Provider value={value}>
      <div className="vigil-theme" data-theme={theme}>
        {children}
      </div>
    </Context.Provider>
  );
}

/**
 * The theme in effect and the setter; outside a provider, the light theme and a no-op.
 *
 * @example
 * const { theme, setPreference } = useTheme();
 */
export function useTheme(): ThemeState {
  return useContext(Context) ?? { preference: 'system', theme: 'light', setPreference: () => {} };
}

/**
 * The theme picker: System, Light or Dark.
 *
 * @example
 * <ThemeSwitch />
 */
export function ThemeSwitch() {
  const { preference, setPreference } = useTheme();
  return (
    <label className="control">
      <span>Theme</span>
      <select
        value={preference}
        onChange={(e) => setPreference(e.target.value as ThemePreference)}
        data-testid="theme-select"
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
