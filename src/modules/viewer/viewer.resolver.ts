import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { RoleEnum } from '../../graphql/enums';
import type { Role } from '../../domain/vocabulary';
import type { RequestContext } from '../../server/context';
import { Agency } from '../agencies/agency.types';

@ObjectType('Viewer', { description: 'The caller, as the hub understands their token.' })
export class ViewerType {
  @Field(() => String) sub!: string;
  @Field(() => String) name!: string;
  @Field(() => Agency) agency!: Agency;
  @Field(() => [RoleEnum]) roles!: Role[];
}

@Resolver()
export class ViewerResolver {
  @Query(() => ViewerType, { name: 'me' })
  me(@Ctx() ctx: RequestContext): ViewerType {
    const v = ctx.viewer;
    return {
      sub: v.sub,
      name: v.name,
      agency: { id: v.agencyId, code: v.agencyCode, name: v.agencyName, kind: v.agencyKind },
      roles: [...v.roles],
    };
  }
}
