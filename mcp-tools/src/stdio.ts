#!/usr/bin/env node
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { readToolConfig } from './tool-config.ts';
import { createToolServer } from './tool-server.ts';

// stdout carries the protocol and nothing else; every human word goes to stderr.
const config = readToolConfig(process.env);
const server = createToolServer(config);
await server.connect(new StdioServerTransport());
process.stderr.write(`tollgate-files: serving ${config.workspaceDir} over stdio\n`);
