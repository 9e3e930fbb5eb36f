import { ChatLoader } from '../components/chat-loader.tsx';

// One page: everything on it depends on the live connection, so it renders in the browser.
export default function Page() {
  return <ChatLoader />;
}
