import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The machines package ships TypeScript sources (its exports point at src/index.ts).
  transpilePackages: ['@tollgate/machines'],
  // The server mounts this app inside its own HTTP server; no standalone copy is needed.
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
