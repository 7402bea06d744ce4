package io.leadsuite.lead.client;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** contact-service's API as lead-service uses it. The caller's Authorization header is passed on. */
@RegisterRestClient(configKey = "contact-service")
@RegisterClientHeaders
@Path("/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface ContactServiceClient {

    @POST
    @Path("/match")
    Uni<ContactMatch> match(ContactDetails details);

    /** Match-or-create on behalf of the given caller (background work: there is no request to pass a token on from). */
    @POST
    @Path("/match")
    Uni<ContactMatch> match(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, ContactDetails details);

    @GET
    @Path("/{id}")
    Uni<ContactSnapshot> get(@PathParam("id") UUID id);

    /** What a capture tells contact-service about the person. */
    record ContactDetails(String email, String firstName, String lastName, String phone, String company,
            String jobTitle, String industry, String country, Boolean consent, String consentSource) {
    }

    record ContactMatch(ContactSnapshot contact, boolean created) {
    }

    /** The contact fields lead-service shows (the CRM feed); it stores none of them. */
    record ContactSnapshot(UUID id, String email, String firstName, String lastName, String phone, String company,
            String jobTitle, String country) {
    }
}
