// The ceiling for `bench api`: a bare fastify process answering GET /api/v1/twins/:id with a fixed
// twin document, no authentication, no store. Prints its URL on its first line.
import Fastify from 'fastify';

const body = process.argv[2] ?? '{}';
const app = Fastify({ logger: false, routerOptions: { maxParamLength: 1024 } });
app.get('/api/v1/twins/:id', async (_request, reply) => {
  reply.type('application/json');
  return body;
});
const url = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(url);
