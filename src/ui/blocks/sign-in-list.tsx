/** The report's sign-ins that had a front channel (an authorization request or response seen), newest first, each as a headline. */
import { frontChannelSignIns } from '../../core/format/sign-ins.js';
import type { Report } from '../../core/types.js';
import { SignInHeadline } from './sign-in-headline.js';

export function SignInList({ report, rulesUrl }: { report: Report; rulesUrl: string }) {
  const signIns = frontChannelSignIns(report).reverse();
  if (signIns.length === 0) return null;
  return (
    <>
      {signIns.map((signIn) => (
        <SignInHeadline key={signIn.id} signIn={signIn} rulesUrl={rulesUrl} />
      ))}
    </>
  );
}
