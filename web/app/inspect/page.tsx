import type { Metadata } from 'next';
import { InspectorLoader } from '../../components/inspector/inspector-loader.tsx';

export const metadata: Metadata = { title: 'Tollgate · Inspector' };

// The flow inspector: like the chat, everything on it comes from the live connection, so it
// renders in the browser.
export default function InspectPage() {
  return <InspectorLoader />;
}
