import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // The machines package ships TypeScript sources (its exports point at src/index.ts).
  transpilePackages: ['@tollgate/machines'],
  // A static export (web/out), served by Tollgate's own HTTP server: no framework server runs in
  // production (docs/architecture.md, "The page").
  output: 'export',
  reactStrictMode: true,
};

export default nextConfig;
