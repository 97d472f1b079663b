/** What a token row may ask for, given by `App` to every row below it. */
import { createContext } from 'preact';

export interface TokenActions {
  /** The token's value, fetched only when the user reveals or copies it. */
  reveal(exchangeId: string, fingerprint: string): Promise<string | null>;
}

export const TokenActionsContext = createContext<TokenActions>({ reveal: () => Promise.resolve(null) });
